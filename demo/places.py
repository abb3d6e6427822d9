"""The demo's national need, IMDi's requests and the municipalities' decisions for each demo year.

Decisions are set from the places the demo's households used (never fewer), with room to spare; most
municipalities decide fewer places than IMDi asked for, some the same, a few more, and some nothing."""

import math
from datetime import date

from settlement.models import MunicipalDecision, NationalNeed, RequestedPlaces, SettlementRequest

from . import calibration as cal

HOUSING_PLAN = "Boliger fra kommunens utleieboliger og private utleiere med startlån."


def create_needs_requests_decisions(builder) -> None:
    rng, scale = builder.rng, builder.scale
    for y in builder.years:
        adults, minors, resettlement = (round(n * scale) for n in cal.year(y).need)
        NationalNeed.objects.create(year=y, adults_and_families=adults, unaccompanied_minors=minors,
                                    resettlement_refugees=resettlement, decided_on=date(y - 1, 9, 15),
                                    note="Fastsatt av Nasjonalt utvalg for mottak og bosetting.")
    requests, requested, decisions = [], [], []
    for y in builder.years:
        deciders = {m.pk for m in builder.deciders[y]}
        region_population = {}
        for m in builder.deciders[y]:
            region_population[m.region.code] = region_population.get(m.region.code, 0) + m.population
        for m in builder.requested[y]:
            code = m.region.code
            # What the municipality would settle in a full year at its share of its office's settlements.
            expected = cal.year(y).settled * scale * cal.OFFICE_SHARE[code] * m.population / region_population[code]
            used, used_minors = builder.used[(m.pk, y)], builder.used_minors[(m.pk, y)]
            places = max(used, math.ceil(max(used, expected) * rng.uniform(1.0, 1.3)), 1)
            minor_places = min(places, math.ceil(used_minors * 1.2) + (1 if m.population >= 20000 else 0))
            answer = rng.random()
            if m.pk not in deciders:
                asked = max(1, math.ceil(expected * rng.uniform(1.0, 1.3)))
            elif answer < 0.72:  # fewer than asked
                asked = math.ceil(places / rng.uniform(0.55, 0.92)) + 1
            elif answer < 0.92:
                asked = places
            else:  # more than asked
                asked = max(1, min(places - 1, math.floor(places / rng.uniform(1.1, 1.3))))
            request = SettlementRequest(municipality=m, sent_on=date(y - 1, 4, 15), reply_deadline=date(y - 1, 6, 15),
                                        note=f"Anmodning om bosetting av flyktninger i {y}.")
            requests.append(request)
            requested.append(RequestedPlaces(request=request, municipality=m, year=y, persons=asked,
                                             unaccompanied_minors=min(asked, round(asked * 0.06)) if m.population >= 8000 else 0))
            if m.pk in deciders:
                decisions.append(MunicipalDecision(
                    municipality=m, year=y, places=places, unaccompanied_minors=minor_places, request=request,
                    decided_on=date(y - 1, rng.randint(6, 12), rng.randint(1, 28)),
                    housing_plan=HOUSING_PLAN if rng.random() < 0.6 else ""))
    SettlementRequest.objects.bulk_create(requests, batch_size=2000)
    for r in requested:
        r.request = r.request  # refresh the id set by bulk_create
    RequestedPlaces.objects.bulk_create(requested, batch_size=2000)
    for d in decisions:
        d.request = d.request
    MunicipalDecision.objects.bulk_create(decisions, batch_size=2000)
