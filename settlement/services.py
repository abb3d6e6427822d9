"""Writes for the settlement pipeline. Every state change goes through a function here.

Each function checks the actor's role and scope, the household's state and the municipality's
capacity inside one transaction. Capacity checks lock the municipality's row first, so that two
caseworkers (or two municipality users) acting at once are serialised and cannot overbook.
Every change is written to the household's timeline and, through django-simple-history, to the
audit log with who and when.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import save_as as _save
from core.models import Municipality, Region, Role
from core.roles import Actor, IMDI_ROLES, require_municipality_writer, require_role

from . import selectors
from .models import (
    DUF_VALIDATOR,
    LIVE_PROPOSAL_STATUSES,
    Category,
    Composition,
    DistributionList,
    EventKind,
    ExitReason,
    Household,
    HouseholdEvent,
    HouseholdStatus,
    MunicipalDecision,
    Person,
    Proposal,
    ProposalStatus,
    RequestedPlaces,
    SettlementRequest,
)

MAX_REQUEST_YEARS = 3
ADULT_AGE = 18
# The office that settles unaccompanied minors for the whole country (from 2013, see ch. 4.4.3).
MINORS_REGION_CODE = "nord"


def _today() -> date:
    return timezone.localdate()


def _event(household, kind, actor: Actor | None, *, from_status="", municipality=None, note=""):
    HouseholdEvent.objects.create(
        household=household,
        kind=kind,
        at=timezone.now(),
        actor=actor.user if actor and actor.user and actor.user.is_authenticated else None,
        municipality=municipality,
        from_status=from_status,
        to_status=household.status,
        note=note,
    )


def _check_caseworker_scope(actor: Actor, household: Household):
    require_role(actor, *IMDI_ROLES)
    if actor.is_caseworker and household.region_id != actor.region_id:
        raise PermissionDenied("Husstanden tilhører et annet regionkontor.")


def _lock_household(household_id) -> Household:
    return Household.objects.select_for_update().get(pk=household_id)


def _lock_municipality(municipality_id) -> Municipality:
    # The municipality row is the lock that serialises every capacity-changing transition.
    return Municipality.objects.select_for_update().get(pk=municipality_id)


# --- Households -------------------------------------------------------------------------------


def waiting_target_months(composition: str) -> int:
    """IMDi's targets: 3 months for minors and families with children, 6 months for other adults."""
    if composition in (Composition.UNACCOMPANIED_MINOR, Composition.FAMILY_WITH_CHILDREN):
        return 3
    return 6


def composition_for(category: str, birth_dates: list[date], on: date) -> str:
    if category == Category.UNACCOMPANIED_MINOR:
        return Composition.UNACCOMPANIED_MINOR
    if len(birth_dates) == 1:
        return Composition.SINGLE_ADULT
    has_children = any(relativedelta(on, b).years < ADULT_AGE for b in birth_dates)
    return Composition.FAMILY_WITH_CHILDREN if has_children else Composition.FAMILY_WITHOUT_CHILDREN


@transaction.atomic
def register_household(
    actor: Actor,
    *,
    persons: list[dict],
    category: str,
    region: Region | None = None,
    reception_centre=None,
    settlement_ready_on: date | None = None,
    special_needs: str = "",
    tied_municipality=None,
    ties_note: str = "",
) -> Household:
    """Register a settlement-ready household (bosettingsklar) with its members."""
    require_role(actor, *IMDI_ROLES, Role.AGENCY)
    if not persons:
        raise ValidationError({"persons": "En husstand må ha minst én person."})
    today = _today()
    birth_dates = [p["birth_date"] for p in persons]
    composition = composition_for(category, birth_dates, today)
    if region is None:
        if composition == Composition.UNACCOMPANIED_MINOR:
            region = Region.objects.get(code=MINORS_REGION_CODE)
        elif reception_centre is not None:
            region = reception_centre.municipality.region
        else:
            raise ValidationError({"region": "Oppgi ansvarlig regionkontor."})
    if actor.is_caseworker and region.pk != actor.region_id:
        raise PermissionDenied("Du kan bare registrere husstander for ditt eget regionkontor.")
    household = Household(
        category=category,
        composition=composition,
        size=len(persons),
        region=region,
        reception_centre=reception_centre,
        waiting_since=min(p["residence_permit_date"] for p in persons),
        waiting_target_months=waiting_target_months(composition),
        settlement_ready_on=settlement_ready_on or today,
        special_needs=special_needs,
        tied_municipality=tied_municipality,
        ties_note=ties_note,
        registered_by_agency_id=actor.agency_id if actor.role == Role.AGENCY else None,
    )
    _save(household, actor)
    for i, data in enumerate(persons):
        person = Person(household=household, is_head=(i == 0), **data)
        person.full_clean(exclude=["household", "duf_number"], validate_constraints=False)
        if not DUF_VALIDATOR.regex.match(person.duf_number or ""):
            raise ValidationError({"duf_number": f"DUF-nummer «{person.duf_number}» må ha nøyaktig 12 siffer."})
        try:
            with transaction.atomic():
                _save(person, actor)
        except IntegrityError:
            raise ValidationError({"duf_number": f"DUF-nummer {data['duf_number']} er allerede registrert."})
    _event(household, EventKind.CREATED, actor)
    return household


def register_settlement_ready(actor: Actor, *, persons: list[dict], **household) -> tuple[Household, bool]:
    """Register a settlement-ready household, idempotently by DUF number (UDI's API writes).

    The same household sent twice gives back the first one; DUF numbers that already belong to a
    different household are refused.
    """
    dufs = [p.get("duf_number") for p in persons]
    if len(set(dufs)) != len(dufs):
        raise ValidationError({"persons": "Samme DUF-nummer står flere ganger."})

    def existing():
        rows = list(Person.objects.filter(duf_number__in=dufs).values_list("household_id", flat=True))
        if not rows:
            return None
        household = Household.objects.filter(pk=rows[0], size=len(dufs)).first() if len(set(rows)) == 1 else None
        if household is not None and len(rows) == len(dufs):
            return household
        raise ValidationError({"persons": "Ett eller flere DUF-nummer er allerede registrert i en annen husstand."})

    found = existing()
    if found is not None:
        return found, False
    try:
        return register_household(actor, persons=persons, **household), True
    except ValidationError:
        # Another request may have registered the same household at the same moment.
        found = existing()
        if found is not None:
            return found, False
        raise


# --- Distribution lists and proposals ---------------------------------------------------------


@transaction.atomic
def propose_households(
    actor: Actor,
    *,
    municipality: Municipality,
    household_ids: list[int],
    reply_deadline: date,
    year: int | None = None,
    note: str = "",
) -> DistributionList:
    """Send a distribution list (fordelingsliste): propose a block of households to one municipality."""
    require_role(actor, *IMDI_ROLES)
    today = _today()
    year = year or today.year
    if not household_ids:
        raise ValidationError({"households": "Velg minst én husstand."})
    if reply_deadline < today:
        raise ValidationError({"reply_deadline": "Svarfristen kan ikke være tilbake i tid."})
    _lock_municipality(municipality.pk)
    households = list(Household.objects.select_for_update().filter(pk__in=household_ids).order_by("pk"))
    if len(households) != len(set(household_ids)):
        raise ValidationError({"households": "En eller flere husstander finnes ikke."})
    for h in households:
        _check_caseworker_scope(actor, h)
        if h.status != HouseholdStatus.READY:
            raise ValidationError({"households": f"{h} er ikke bosettingsklar (status: {h.get_status_display()})."})
    cap = selectors.capacity(municipality.pk, year)
    if not cap.has_decision:
        raise ValidationError({"municipality": f"{municipality} har ikke vedtak om bosetting for {year}."})
    total = sum(h.size for h in households)
    if total > cap.available_to_propose:
        raise ValidationError(
            {"households": f"Listen har {total} personer, men {municipality} har bare {max(cap.available_to_propose, 0)} ledige plasser i {year}."}
        )
    minors = sum(h.size for h in households if h.composition == Composition.UNACCOMPANIED_MINOR)
    if minors and minors > cap.minors_remaining:
        raise ValidationError(
            {"households": f"{municipality} har bare {max(cap.minors_remaining, 0)} ledige plasser for enslige mindreårige i {year}."}
        )
    region_id = actor.region_id or households[0].region_id
    dlist = DistributionList(
        municipality=municipality, region_id=region_id, year=year, reply_deadline=reply_deadline, note=note,
        created_by=actor.user,
    )
    _save(dlist, actor)
    for h in households:
        proposal = Proposal(distribution_list=dlist, household=h, municipality=municipality, persons=h.size)
        _save(proposal, actor)
        h.status, h.municipality, h.settlement_year = HouseholdStatus.PROPOSED, municipality, year
        _save(h, actor)
        _event(h, EventKind.PROPOSED, actor, from_status=HouseholdStatus.READY, municipality=municipality,
               note=f"Fordelingsliste {dlist.pk}, svarfrist {reply_deadline:%d.%m.%Y}")
    from core.jobs import enqueue

    from .tasks import notify_distribution_list

    transaction.on_commit(lambda: enqueue(notify_distribution_list, dlist.pk))
    return dlist


def _locked_live_proposal(proposal_id) -> tuple[Proposal, Household]:
    # Lock order everywhere: municipality, then household, then proposal.
    household_id = Proposal.objects.values_list("household_id", flat=True).get(pk=proposal_id)
    household = _lock_household(household_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    return proposal, household


@transaction.atomic
def accept_proposal(actor: Actor, proposal: Proposal, *, comment: str = "") -> Proposal:
    """The municipality accepts a proposed household, within its remaining capacity."""
    require_municipality_writer(actor, proposal.municipality_id)
    _lock_municipality(proposal.municipality_id)
    proposal, household = _locked_live_proposal(proposal.pk)
    if proposal.status != ProposalStatus.PENDING or household.status != HouseholdStatus.PROPOSED:
        raise ValidationError(f"Forslaget er allerede {proposal.get_status_display().lower()}.")
    cap = selectors.capacity(proposal.municipality_id, household.settlement_year)
    if household.size > cap.available_to_accept:
        raise ValidationError(
            f"Kommunen har bare {max(cap.available_to_accept, 0)} ledige plasser i {household.settlement_year}, "
            f"men husstanden har {household.size} personer. Øk vedtaket før dere aksepterer."
        )
    if household.composition == Composition.UNACCOMPANIED_MINOR and cap.minors_in_flow > cap.decided_minors:
        raise ValidationError("Kommunen har ikke flere vedtatte plasser for enslige mindreårige.")
    proposal.status, proposal.comment = ProposalStatus.ACCEPTED, comment
    proposal.responded_at, proposal.responded_by = timezone.now(), actor.user
    _save(proposal, actor)
    household.status = HouseholdStatus.ACCEPTED
    _save(household, actor)
    _event(household, EventKind.ACCEPTED, actor, from_status=HouseholdStatus.PROPOSED,
           municipality=proposal.municipality, note=comment)
    return proposal


@transaction.atomic
def decline_proposal(actor: Actor, proposal: Proposal, *, reason: str, comment: str = "") -> Proposal:
    """The municipality declines; the household goes back to be proposed elsewhere."""
    require_municipality_writer(actor, proposal.municipality_id)
    if not reason:
        raise ValidationError({"reason": "Oppgi en grunn for avslaget."})
    proposal, household = _locked_live_proposal(proposal.pk)
    if proposal.status != ProposalStatus.PENDING:
        raise ValidationError(f"Forslaget er allerede {proposal.get_status_display().lower()}.")
    proposal.status, proposal.decline_reason, proposal.comment = ProposalStatus.DECLINED, reason, comment
    proposal.responded_at, proposal.responded_by = timezone.now(), actor.user
    _save(proposal, actor)
    _back_to_ready(household, actor, EventKind.DECLINED, proposal,
                   note=f"{proposal.get_decline_reason_display()}. {comment}".strip())
    return proposal


@transaction.atomic
def withdraw_proposal(actor: Actor, proposal: Proposal, *, note: str = "") -> Proposal:
    """IMDi takes back a proposal that has not been assigned yet."""
    proposal, household = _locked_live_proposal(proposal.pk)
    _check_caseworker_scope(actor, household)
    if proposal.status not in LIVE_PROPOSAL_STATUSES or household.status not in (
        HouseholdStatus.PROPOSED, HouseholdStatus.ACCEPTED
    ):
        raise ValidationError("Bare forslag som venter på svar eller er akseptert kan trekkes.")
    proposal.status, proposal.comment = ProposalStatus.WITHDRAWN, note
    _save(proposal, actor)
    _back_to_ready(household, actor, EventKind.WITHDRAWN, proposal, note=note)
    return proposal


def _back_to_ready(household: Household, actor: Actor, kind, proposal: Proposal, note: str):
    from_status = household.status
    household.status, household.municipality, household.settlement_year = HouseholdStatus.READY, None, None
    _save(household, actor)
    _event(household, kind, actor, from_status=from_status, municipality=proposal.municipality, note=note)


@transaction.atomic
def assign_household(actor: Actor, household: Household, *, assigned_on: date | None = None) -> Household:
    """IMDi's decision on the settlement municipality (søkt ut) for an accepted household."""
    _check_caseworker_scope(actor, household)
    today = _today()
    assigned_on = assigned_on or today
    if assigned_on > today:
        raise ValidationError({"assigned_on": "Datoen for utsøking kan ikke være fram i tid."})
    municipality_id = Household.objects.values_list("municipality_id", flat=True).get(pk=household.pk)
    if municipality_id is not None:
        _lock_municipality(municipality_id)
    household = _lock_household(household.pk)
    if household.status != HouseholdStatus.ACCEPTED or household.municipality_id != municipality_id:
        raise ValidationError(f"Bare husstander som kommunen har akseptert kan søkes ut (status: {household.get_status_display()}).")
    cap = selectors.capacity(household.municipality_id, household.settlement_year)
    if cap.available_to_accept < 0:
        raise ValidationError(f"{household.municipality} har ikke ledig kapasitet i {household.settlement_year}.")
    if assigned_on < household.waiting_since:
        raise ValidationError({"assigned_on": "Utsøking kan ikke skje før vedtak om opphold."})
    household.status, household.assigned_on = HouseholdStatus.ASSIGNED, assigned_on
    _save(household, actor)
    _event(household, EventKind.ASSIGNED, actor, from_status=HouseholdStatus.ACCEPTED,
           municipality=household.municipality, note=f"Søkt ut {assigned_on:%d.%m.%Y}")
    return household


@transaction.atomic
def register_settlement(actor: Actor, household: Household, *, dates: dict[int, date]) -> Household:
    """The municipality registers the settlement date (bosettingsdato) per person.

    A date may not be before the assignment date or in the future. When every member has a
    date, the household is settled.
    """
    household = _lock_household(household.pk)
    require_municipality_writer(actor, household.municipality_id)
    if household.status != HouseholdStatus.ASSIGNED:
        raise ValidationError(f"Bosetting kan bare registreres for husstander som er søkt ut (status: {household.get_status_display()}).")
    if not dates:
        raise ValidationError("Oppgi minst én bosettingsdato.")
    today = _today()
    persons = {p.pk: p for p in Person.objects.select_for_update().filter(household=household)}
    errors = {}
    for person_id, day in dates.items():
        person = persons.get(person_id)
        if person is None:
            raise ValidationError("Personen tilhører ikke husstanden.")
        if person.settled_on is not None:
            errors[f"person_{person_id}"] = f"{person.full_name} er allerede registrert bosatt {person.settled_on:%d.%m.%Y}."
        elif day < household.assigned_on:
            errors[f"person_{person_id}"] = (
                f"Bosettingsdato for {person.full_name} kan ikke være før utsøkingsdatoen {household.assigned_on:%d.%m.%Y}."
            )
        elif day > today:
            errors[f"person_{person_id}"] = "Bosettingsdato kan ikke være fram i tid."
    if errors:
        raise ValidationError(errors)
    for person_id, day in dates.items():
        person = persons[person_id]
        person.settled_on = day
        _save(person, actor)
        _event(household, EventKind.PERSON_SETTLED, actor, from_status=household.status,
               municipality=household.municipality, note=f"{person.full_name}: {day:%d.%m.%Y}")
    if all(p.settled_on for p in persons.values()):
        household.status = HouseholdStatus.SETTLED
        household.settled_on = max(p.settled_on for p in persons.values())
        _save(household, actor)
        _event(household, EventKind.SETTLED, actor, from_status=HouseholdStatus.ASSIGNED,
               municipality=household.municipality)
    return household


@transaction.atomic
def exit_household(actor: Actor, household: Household, *, reason: str, exited_on: date | None = None, note: str = "") -> Household:
    """Take a household out of the flow (settled on its own, withdrawn, left the country)."""
    _check_caseworker_scope(actor, household)
    if reason not in ExitReason.values:
        raise ValidationError({"reason": "Velg en gyldig årsak."})
    household = _lock_household(household.pk)
    if household.status in (HouseholdStatus.SETTLED, HouseholdStatus.EXITED):
        raise ValidationError(f"Husstanden er allerede {household.get_status_display().lower()}.")
    exited_on = exited_on or _today()
    if exited_on > _today():
        raise ValidationError({"exited_on": "Datoen kan ikke være fram i tid."})
    for proposal in Proposal.objects.select_for_update().filter(household=household, status__in=LIVE_PROPOSAL_STATUSES):
        proposal.status = ProposalStatus.WITHDRAWN
        _save(proposal, actor)
    from_status = household.status
    household.status, household.exit_reason, household.exited_on = HouseholdStatus.EXITED, reason, exited_on
    household.municipality, household.settlement_year = None, None
    household.assigned_on = None
    _save(household, actor)
    _event(household, EventKind.EXITED, actor, from_status=from_status,
           note=f"{ExitReason(reason).label}. {note}".strip())
    return household


# --- Requests and decisions -------------------------------------------------------------------


def _validate_years(years: dict[int, tuple[int, int]]):
    if not years:
        raise ValidationError({"years": "Oppgi antall for minst ett år."})
    ordered = sorted(years)
    if len(ordered) > MAX_REQUEST_YEARS:
        raise ValidationError({"years": f"En anmodning gjelder høyst {MAX_REQUEST_YEARS} år."})
    if ordered != list(range(ordered[0], ordered[0] + len(ordered))):
        raise ValidationError({"years": "Årene i en anmodning må henge sammen."})
    for year, (persons, minors) in years.items():
        if persons < 0 or minors < 0:
            raise ValidationError({"years": f"Antall for {year} kan ikke være negativt."})
        if minors > persons:
            raise ValidationError({"years": f"Enslige mindreårige ({minors}) kan ikke være flere enn personer ({persons}) i {year}."})


def _check_request_scope(actor: Actor, municipality: Municipality):
    require_role(actor, *IMDI_ROLES)
    if actor.is_caseworker and municipality.region_id != actor.region_id:
        raise PermissionDenied("Kommunen hører til et annet regionkontor.")


@transaction.atomic
def create_settlement_request(
    actor: Actor, *, municipality: Municipality, sent_on: date, reply_deadline: date,
    years: dict[int, tuple[int, int]], note: str = "",
) -> SettlementRequest:
    """IMDi asks a municipality to settle refugees (anmodning), for up to three years."""
    _check_request_scope(actor, municipality)
    _validate_years(years)
    if reply_deadline < sent_on:
        raise ValidationError({"reply_deadline": "Svarfristen må være etter sendedatoen."})
    taken = RequestedPlaces.objects.filter(municipality=municipality, year__in=years).values_list("year", flat=True)
    if taken:
        raise ValidationError({"years": f"{municipality} har allerede en anmodning for {', '.join(map(str, sorted(taken)))}. Juster den i stedet."})
    request = SettlementRequest(municipality=municipality, sent_on=sent_on, reply_deadline=reply_deadline, note=note, created_by=actor.user)
    _save(request, actor)
    for year, (persons, minors) in sorted(years.items()):
        _save(RequestedPlaces(request=request, municipality=municipality, year=year, persons=persons, unaccompanied_minors=minors), actor)
    return request


@transaction.atomic
def adjust_settlement_request(actor: Actor, request: SettlementRequest, *, years: dict[int, tuple[int, int]], note: str = "") -> SettlementRequest:
    """Change the numbers of an existing request; earlier numbers stay in the history."""
    _check_request_scope(actor, request.municipality)
    _validate_years(years)
    existing = {rp.year: rp for rp in request.years.select_for_update()}
    if set(years) != set(existing):
        raise ValidationError({"years": "En justering endrer antallet for de samme årene som anmodningen gjelder."})
    for year, (persons, minors) in years.items():
        rp = existing[year]
        rp.persons, rp.unaccompanied_minors = persons, minors
        _save(rp, actor)
    request.adjusted_at = timezone.now()
    if note:
        request.note = note
    _save(request, actor)
    return request


@transaction.atomic
def record_decision(
    actor: Actor, *, municipality: Municipality, year: int, places: int, unaccompanied_minors: int = 0,
    decided_on: date, housing_plan: str = "",
) -> MunicipalDecision:
    """Register or change the municipality's decision (vedtak) for a year.

    A decision may not go below the places already assigned or settled that year.
    """
    require_municipality_writer(actor, municipality.pk)
    errors = {}
    if places is None or places < 0:
        errors["places"] = "Antallet kan ikke være negativt."
    if unaccompanied_minors is None or unaccompanied_minors < 0:
        errors["unaccompanied_minors"] = "Antallet kan ikke være negativt."
    elif places is not None and unaccompanied_minors > places:
        errors["unaccompanied_minors"] = "Enslige mindreårige er en del av det vedtatte antallet og kan ikke være flere."
    if decided_on > _today():
        errors["decided_on"] = "Vedtaksdatoen kan ikke være fram i tid."
    if errors:
        raise ValidationError(errors)
    _lock_municipality(municipality.pk)
    cap = selectors.capacity(municipality.pk, year)
    committed = cap.assigned + cap.settled + cap.accepted
    if places < committed:
        raise ValidationError({"places": f"Kommunen har allerede tatt imot eller akseptert {committed} personer i {year}. Vedtaket kan ikke være lavere."})
    request_years = RequestedPlaces.objects.filter(municipality=municipality, year=year).select_related("request").first()
    decision = MunicipalDecision.objects.select_for_update().filter(municipality=municipality, year=year).first()
    if decision is None:
        decision = MunicipalDecision(municipality=municipality, year=year)
    decision.places, decision.unaccompanied_minors = places, unaccompanied_minors
    decision.decided_on, decision.housing_plan = decided_on, housing_plan
    decision.request = request_years.request if request_years else None
    decision.registered_by = actor.user
    _save(decision, actor)
    return decision
