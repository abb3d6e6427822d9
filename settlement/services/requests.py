"""Requests and decisions: IMDi asks a municipality for places (anmodning), the municipality decides (vedtak)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import bounds, policy
from core.errors import field_error
from core.models import Municipality
from core.roles import Actor

from .. import selectors
from ..models import MunicipalDecision, RequestedPlaces, SettlementRequest
from .common import lock_municipality, save, today

MAX_REQUEST_YEARS = 3
OTHER_REGION = "Kommunen hører til et annet regionkontor."


def _validate_years(years: dict[int, tuple[int, int]]):
    if not years:
        raise field_error("years", "Oppgi antall for minst ett år.", "no_years")
    ordered = sorted(years)
    if len(ordered) > MAX_REQUEST_YEARS:
        raise field_error("years", f"En anmodning gjelder høyst {MAX_REQUEST_YEARS} år.", "too_many_years")
    if ordered != list(range(ordered[0], ordered[0] + len(ordered))):
        raise field_error("years", "Årene i en anmodning må henge sammen.", "years_not_consecutive")
    for year, (persons, minors) in years.items():
        if persons < 0 or minors < 0:
            raise field_error("years", f"Antall for {year} kan ikke være negativt.", "negative_count")
        if persons > bounds.MAX_PLACES:
            raise field_error("years", f"Høyst {bounds.MAX_PLACES} personer per år.", "count_out_of_range")
        if minors > persons:
            raise field_error("years", f"Enslige mindreårige ({minors}) kan ikke være flere enn personer ({persons}) i {year}.",
                              "minors_exceed_persons")


@transaction.atomic
def create_settlement_request(
    actor: Actor, *, municipality: Municipality, sent_on: date, reply_deadline: date,
    years: dict[int, tuple[int, int]], note: str = "",
) -> SettlementRequest:
    """IMDi asks a municipality to settle refugees (anmodning), for up to three years."""
    policy.require_region(actor, "settlement.manage_requests", municipality.region_id, message=OTHER_REGION)
    _validate_years(years)
    on, errors = today(), {}
    bounds.check_year(errors, "years", min(years), on)
    bounds.check_year(errors, "years", max(years), on)
    bounds.check_date(errors, "sent_on", sent_on, earliest=bounds.EARLIEST_CASE_DATE, latest=on, label="Sendedatoen")
    bounds.check_date(errors, "reply_deadline", reply_deadline, earliest=bounds.EARLIEST_CASE_DATE,
                      latest=bounds.latest_deadline(on), label="Svarfristen")
    request = SettlementRequest(municipality=municipality, sent_on=sent_on, reply_deadline=reply_deadline, note=note, created_by=actor.user)
    bounds.check_lengths(errors, request)
    bounds.raise_if(errors)
    if reply_deadline < sent_on:
        raise field_error("reply_deadline", "Svarfristen må være etter sendedatoen.", "deadline_before_sent")
    taken = RequestedPlaces.objects.filter(municipality=municipality, year__in=years).values_list("year", flat=True)
    if taken:
        raise field_error(
            "years", f"{municipality} har allerede en anmodning for {', '.join(map(str, sorted(taken)))}. Juster den i stedet.",
            "request_exists",
        )
    save(request, actor)
    for year, (persons, minors) in sorted(years.items()):
        save(RequestedPlaces(request=request, municipality=municipality, year=year, persons=persons, unaccompanied_minors=minors), actor)
    return request


@transaction.atomic
def adjust_settlement_request(actor: Actor, request: SettlementRequest, *, years: dict[int, tuple[int, int]], note: str = "") -> SettlementRequest:
    """Change the numbers of an existing request; earlier numbers stay in the history."""
    policy.require_region(actor, "settlement.manage_requests", request.municipality.region_id, message=OTHER_REGION)
    _validate_years(years)
    existing = {rp.year: rp for rp in request.years.select_for_update()}
    if set(years) != set(existing):
        raise field_error("years", "En justering endrer antallet for de samme årene som anmodningen gjelder.", "years_changed")
    for year, (persons, minors) in years.items():
        rp = existing[year]
        rp.persons, rp.unaccompanied_minors = persons, minors
        save(rp, actor)
    request.adjusted_at = timezone.now()
    if note:
        request.note = note
    save(request, actor)
    return request


@transaction.atomic
def record_decision(
    actor: Actor, *, municipality: Municipality, year: int, places: int, unaccompanied_minors: int = 0,
    decided_on: date, housing_plan: str = "",
) -> MunicipalDecision:
    """Register or change the municipality's decision (vedtak) for a year.

    A decision may not go below the places already assigned or settled that year.
    """
    policy.require_municipality_writer(actor, "settlement.record_decision", municipality.pk)
    errors = {}
    # Decisions for last year (late registration) up to three years ahead, dated 2000 to today.
    bounds.check_year(errors, "year", year, today())
    bounds.check_count(errors, "places", places, high=bounds.MAX_PLACES)
    bounds.check_date(errors, "decided_on", decided_on, earliest=bounds.EARLIEST_CASE_DATE, latest=bounds.LATEST_DATE,
                      label="Vedtaksdatoen")
    if places is None or places < 0:
        errors["places"] = ValidationError("Antallet kan ikke være negativt.", code="negative_count")
    if unaccompanied_minors is None or unaccompanied_minors < 0:
        errors["unaccompanied_minors"] = ValidationError("Antallet kan ikke være negativt.", code="negative_count")
    elif places is not None and unaccompanied_minors > places:
        errors["unaccompanied_minors"] = ValidationError(
            "Enslige mindreårige er en del av det vedtatte antallet og kan ikke være flere.", code="minors_exceed_places")
    if decided_on > today():
        errors["decided_on"] = ValidationError("Vedtaksdatoen kan ikke være fram i tid.", code="date_in_future")
    if errors:
        raise ValidationError(errors)
    lock_municipality(municipality.pk)
    cap = selectors.capacity(municipality.pk, year)
    committed = cap.assigned + cap.settled + cap.accepted
    if places < committed:
        raise field_error(
            "places", f"Kommunen har allerede tatt imot eller akseptert {committed} personer i {year}. Vedtaket kan ikke være lavere.",
            "below_committed",
        )
    request_years = RequestedPlaces.objects.filter(municipality=municipality, year=year).select_related("request").first()
    decision = MunicipalDecision.objects.select_for_update().filter(municipality=municipality, year=year).first()
    if decision is None:
        decision = MunicipalDecision(municipality=municipality, year=year)
    decision.places, decision.unaccompanied_minors = places, unaccompanied_minors
    decision.decided_on, decision.housing_plan = decided_on, housing_plan
    decision.request = request_years.request if request_years else None
    decision.registered_by = actor.user
    save(decision, actor)
    return decision
