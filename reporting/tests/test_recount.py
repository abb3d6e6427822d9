"""An independent recount of every monthly figure from the raw rows, by hand-written SQL and plain Python rules
(relativedelta for the months, age on the permit date for children), against monthly_report, for several months
of a generated dataset: nation, region, county, municipality and nationality."""

import random
from collections import defaultdict
from datetime import date, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.db import connection

from core.models import Municipality, Region, Role
from core.roles import Actor
from reporting.reports import monthly_report
from settlement import services
from settlement.models import Category, Composition, Household, MunicipalDecision
from settlement.tests import report_data

MONTHS = [(2024, 10), (2024, 12), (2025, 2), (2025, 3), (2025, 6), (2025, 12)]
MONTH_END_PERMITS = [date(2024, 4, 30), date(2024, 9, 30), date(2024, 11, 30), date(2024, 2, 29), date(2024, 8, 31)]


def _generate():
    """About 120 households in every state, permits on awkward month ends, children of every age, exits of
    partly settled households, decisions changed later."""
    report_data.build()
    rng = random.Random(17)
    munis = list(Municipality.objects.filter(number__in=["0301", "1201", "1902", "0219", "1103", "3107"]))
    regions = {r.code: r for r in Region.objects.all()}
    admin = Actor(user=None, role=Role.NATIONAL_ADMIN, can_write=True)
    for m in munis:
        for year in (2024, 2025):
            if not MunicipalDecision.objects.filter(municipality=m, year=year).exists():
                MunicipalDecision.objects.create(municipality=m, year=year, places=rng.randint(5, 40),
                                                 decided_on=date(year - 1, 10, 1))
    later = []
    for i in range(120):
        permit = rng.choice(MONTH_END_PERMITS) if rng.random() < 0.3 else date(2024, 1, 1) + timedelta(days=rng.randint(0, 600))
        kind = rng.choice([Composition.SINGLE_ADULT, Composition.FAMILY_WITH_CHILDREN, Composition.FAMILY_WITHOUT_CHILDREN,
                           Composition.UNACCOMPANIED_MINOR])
        m = rng.choice(munis)
        region = regions["nord"] if kind == Composition.UNACCOMPANIED_MINOR else m.region
        adults, children = {Composition.SINGLE_ADULT: (1, 0), Composition.UNACCOMPANIED_MINOR: (1, 0),
                            Composition.FAMILY_WITHOUT_CHILDREN: (2, 0)}.get(kind, (rng.randint(1, 2), rng.randint(1, 3)))
        state = rng.random()
        kwargs = dict(composition=kind, permit=permit, region=region, adults=adults, children=children,
                      nationality=rng.choice(["ERI", "SYR", "AFG", "SOM"]),
                      category=Category.RESETTLEMENT if rng.random() < 0.15 else (
                          Category.UNACCOMPANIED_MINOR if kind == Composition.UNACCOMPANIED_MINOR else Category.RECEPTION_CENTRE))
        if state < 0.5:
            settled = permit + timedelta(days=rng.randint(20, 420))
            kwargs.update(settled=settled, assigned=settled - timedelta(days=rng.randint(0, 20)), municipality=m,
                          year=settled.year if settled.month > 1 or rng.random() < 0.5 else settled.year - 1)
        elif state < 0.7:
            kwargs.update(assigned=permit + timedelta(days=rng.randint(20, 300)), municipality=m,
                          year=(permit + timedelta(days=300)).year)
        h = report_data.make_household(**kwargs)
        born = [date(1985, 6, 1)] * adults
        if kind == Composition.UNACCOMPANIED_MINOR:
            born = [permit - relativedelta(years=rng.choice([14, 15, 17])) + timedelta(days=rng.choice([-1, 0, 1]))]
        for p, b in zip(h.persons.order_by("pk"), born + [permit - relativedelta(years=rng.choice([2, 10, 17, 18]))
                                                          + timedelta(days=rng.choice([-1, 0, 1])) for _ in range(children)]):
            p.birth_date = b
            p.save()
        if h.status == "assigned":
            if rng.random() < 0.4:  # one member settled, then the household leaves the flow
                first = h.persons.order_by("pk").first()
                first.settled_on = h.assigned_on + timedelta(days=5)
                first.save()
            if rng.random() < 0.5:
                later.append(h)
        elif h.status == "ready" and rng.random() < 0.2:
            later.append(h)
    with time_machine.travel(date(2026, 1, 20), tick=False):
        for h in later:
            h.refresh_from_db()
            exited_on = max(date(2024, 6, 1), h.settlement_ready_on) + timedelta(days=rng.randint(30, 400))
            services.exit_household(admin, h, reason="withdrawn", exited_on=min(exited_on, date(2026, 1, 20)))
        for m in munis[:3]:
            services.record_decision(Actor(user=None, role=Role.MUNICIPALITY, municipality_id=m.pk, can_write=True),
                                     municipality=m, year=2025, places=rng.randint(150, 200), decided_on=date(2025, 7, 1))


def _rows(sql, params=()):
    with connection.cursor() as c:
        c.execute(sql, params)
        cols = [d[0] for d in c.description]
        return [dict(zip(cols, r)) for r in c.fetchall()]


def _d(v):
    return v if isinstance(v, date) or v is None else date.fromisoformat(str(v)[:10])


def _raw():
    persons = _rows("""
        SELECT p.id, p.nationality, p.birth_date, p.residence_permit_date, p.settled_on,
               h.id AS hid, h.status, h.region_id, h.settlement_ready_on, h.exited_on,
               h.municipality_id, h.settlement_year, h.assigned_on
        FROM settlement_person p JOIN settlement_household h ON h.id = p.household_id""")
    before_exit = {}
    for r in _rows("""SELECT id, municipality_id, settlement_year, assigned_on FROM settlement_historicalhousehold
                      WHERE status <> 'exited' ORDER BY history_date, history_id"""):
        before_exit[r["id"]] = r
    for p in persons:
        for k in ("birth_date", "residence_permit_date", "settled_on", "settlement_ready_on", "exited_on", "assigned_on"):
            p[k] = _d(p[k])
        if p["status"] == "exited":
            b = before_exit.get(p["hid"], {})
            p["municipality_id"], p["settlement_year"], p["assigned_on"] = (
                b.get("municipality_id"), b.get("settlement_year"), _d(b.get("assigned_on")))
    versions = [dict(r, current=0) for r in _rows("""SELECT municipality_id, year, places, decided_on, history_date AS at
        FROM settlement_historicalmunicipaldecision WHERE history_type <> '-' ORDER BY history_date, history_id""")]
    versions += [dict(r, current=1, at=None) for r in _rows(
        "SELECT municipality_id, year, places, decided_on FROM settlement_municipaldecision")]
    munis = {r["id"]: r for r in _rows("""SELECT m.id, m.number, m.region_id, c.number AS county, r.name AS region
        FROM core_municipality m JOIN core_county c ON c.id = m.county_id JOIN core_region r ON r.id = m.region_id""")}
    regions = {r["id"]: r["name"] for r in _rows("SELECT id, name FROM core_region")}
    return persons, versions, munis, regions


def _recount(year, month, persons, versions, munis, regions):
    start, first = date(year, 1, 1), date(year, month, 1)
    end = first + relativedelta(months=1) - timedelta(days=1)
    by_muni = defaultdict(lambda: defaultdict(int))
    waiting = defaultdict(lambda: [0, 0])
    nat = defaultdict(lambda: defaultdict(int))
    for p in persons:
        settled = p["settled_on"] is not None and p["settled_on"] <= end
        left = p["exited_on"] is not None and p["exited_on"] <= end
        if p["settled_on"] and start <= p["settled_on"] <= end and p["municipality_id"]:
            by_muni[p["municipality_id"]]["settled_ytd"] += 1
            nat[p["nationality"]]["ytd"] += 1
            if p["settled_on"] >= first:
                by_muni[p["municipality_id"]]["settled_month"] += 1
                nat[p["nationality"]]["month"] += 1
        if p["settlement_year"] == year and p["municipality_id"]:
            if settled:
                by_muni[p["municipality_id"]]["used"] += 1
            elif p["assigned_on"] and p["assigned_on"] <= end and not left:
                by_muni[p["municipality_id"]]["used"] += 1
                by_muni[p["municipality_id"]]["assigned"] += 1
        if p["settlement_ready_on"] <= end and not settled and not left:
            child = relativedelta(p["residence_permit_date"], p["birth_date"]).years < 18
            long = end > p["residence_permit_date"] + relativedelta(months=3 if child else 6)
            for key in (regions[p["region_id"]], ("nat", p["nationality"])):
                waiting[key][0] += 1
                waiting[key][1] += long
    decided = {}
    for v in versions:
        if v["year"] != year or _d(v["decided_on"]) > end:
            continue
        mid = v["municipality_id"]
        if mid not in decided or _d(v["decided_on"]) >= decided[mid][0]:
            decided[mid] = (_d(v["decided_on"]), v["places"])
    for mid, (_, places) in decided.items():
        by_muni[mid]["decided"] = places
    return by_muni, waiting, nat


@pytest.mark.parametrize("year,month", MONTHS)
def test_monthly_report_equals_an_independent_recount(db, year, month):
    _generate()
    persons, versions, munis, regions = _raw()
    by_muni, waiting, nat = _recount(year, month, persons, versions, munis, regions)
    report = monthly_report(year, month)
    fields = ("settled_month", "settled_ytd", "assigned", "used", "decided")
    number_to_id = {m["number"]: mid for mid, m in munis.items()}
    for row in report["municipalities"]:
        mid = number_to_id[row["number"]]
        assert {f: row[f] for f in fields} == {f: by_muni[mid][f] for f in fields}, row["name"]
        expected_use = round(100.0 * by_muni[mid]["used"] / by_muni[mid]["decided"], 1) if by_muni[mid]["decided"] else None
        assert row["place_use"] == expected_use, row["name"]
    in_report = {number_to_id[r["number"]] for r in report["municipalities"]}
    assert all(mid in in_report for mid, v in by_muni.items() if any(v.values()))

    def total(mids, f):
        return sum(by_muni[mid][f] for mid in mids)

    for f in fields:
        assert report["national"][f] == total(munis, f), f
    for r in report["regions"]:
        mids = [mid for mid, m in munis.items() if m["region"] == r["name"]]
        assert {f: r[f] for f in fields} == {f: total(mids, f) for f in fields}, r["name"]
        assert (r["waiting"], r["long_waiting"]) == tuple(waiting[r["name"]]), r["name"]
    for c in report["counties"]:
        mids = [mid for mid, m in munis.items() if m["county"] == c["number"]]
        assert {f: c[f] for f in fields} == {f: total(mids, f) for f in fields}, c["name"]
    assert (report["national"]["waiting"], report["national"]["long_waiting"]) == (
        sum(v[0] for k, v in waiting.items() if isinstance(k, str)), sum(v[1] for k, v in waiting.items() if isinstance(k, str)))
    for n in report["nationalities"]:
        assert (n["settled_month"], n["settled_ytd"]) == (nat[n["code"]]["month"], nat[n["code"]]["ytd"]), n["code"]
        assert (n["waiting"], n["long_waiting"]) == tuple(waiting[("nat", n["code"])]), n["code"]
    assert {n["code"] for n in report["nationalities"]} == (
        {c for c, v in nat.items() if v["ytd"]} | {k[1] for k, v in waiting.items() if isinstance(k, tuple) and v[0]})
    assert sum(s["settled"] or 0 for s in report["series"]) == report["national"]["settled_ytd"]
    assert Household.objects.filter(status="exited").exists()
