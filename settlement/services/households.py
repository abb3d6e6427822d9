"""Households: registration (bosettingsklar), assignment (utsøking), settlement (bosetting) and exit."""

from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from core import bounds, policy
from core.errors import field_error
from core.models import Region, Role
from core.roles import Actor

from .. import selectors
from ..models import (
    DUF_VALIDATOR,
    Category,
    Composition,
    EventKind,
    ExitReason,
    Household,
    HouseholdStatus,
    Person,
    Proposal,
)
from ..workflows import HOUSEHOLD, PROPOSAL
from .common import event, lock_household, lock_municipality, save, today

ADULT_AGE = 18
# The office that settles unaccompanied minors for the whole country (from 2013, see ch. 4.4.3).
MINORS_REGION_CODE = "nord"


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
    policy.require(actor, "settlement.register_household")
    if not persons:
        raise field_error("persons", "En husstand må ha minst én person.", "no_persons")
    on = today()
    _check_registration_bounds(persons, settlement_ready_on, on)
    composition = composition_for(category, [p["birth_date"] for p in persons], on)
    if region is None:
        if composition == Composition.UNACCOMPANIED_MINOR:
            region = Region.objects.get(code=MINORS_REGION_CODE)
        elif reception_centre is not None:
            region = reception_centre.municipality.region
        else:
            raise field_error("region", "Oppgi ansvarlig regionkontor.", "region_required")
    policy.require_region(actor, "settlement.register_household", region.pk,
                          message="Du kan bare registrere husstander for ditt eget regionkontor.")
    household = Household(
        category=category,
        composition=composition,
        size=len(persons),
        region=region,
        reception_centre=reception_centre,
        waiting_since=min(p["residence_permit_date"] for p in persons),
        waiting_target_months=waiting_target_months(composition),
        settlement_ready_on=settlement_ready_on or on,
        special_needs=special_needs,
        tied_municipality=tied_municipality,
        ties_note=ties_note,
        registered_by_agency_id=actor.agency_id if actor.role == Role.AGENCY else None,
    )
    errors = {}
    bounds.check_lengths(errors, household)
    bounds.raise_if(errors)
    save(household, actor)
    for i, data in enumerate(persons):
        person = Person(household=household, is_head=(i == 0), **data)
        person.full_clean(exclude=["household", "duf_number"], validate_constraints=False)
        if not DUF_VALIDATOR.regex.match(person.duf_number or ""):
            raise field_error("duf_number", f"DUF-nummer «{person.duf_number}» må ha nøyaktig 12 siffer.", "invalid_duf")
        try:
            with transaction.atomic():
                save(person, actor)
        except IntegrityError:
            raise field_error("duf_number", f"DUF-nummer {data['duf_number']} er allerede registrert.", "duf_taken")
    event(household, EventKind.CREATED, actor)
    return household


def _check_registration_bounds(persons: list[dict], settlement_ready_on, on: date):
    """Births and permits from 1900 to today, at most twelve persons, settlement-ready not after today: one date of
    9999-12-31 made every page that computes a waiting deadline fail for the whole region (issue 9)."""
    if len(persons) > bounds.MAX_HOUSEHOLD_SIZE:
        raise field_error("persons", f"En husstand kan ha høyst {bounds.MAX_HOUSEHOLD_SIZE} personer.", "too_many_persons")
    errors = {}
    for p in persons:
        bounds.check_date(errors, "birth_date", p.get("birth_date"), earliest=bounds.EARLIEST_DATE, latest=on,
                          label="Fødselsdato")
        bounds.check_date(errors, "residence_permit_date", p.get("residence_permit_date"), earliest=bounds.EARLIEST_DATE,
                          latest=on, label="Vedtak om opphold")
    bounds.check_date(errors, "settlement_ready_on", settlement_ready_on, earliest=bounds.EARLIEST_DATE, latest=on,
                      label="Bosettingsklar fra")
    bounds.raise_if(errors)


def register_settlement_ready(actor: Actor, *, persons: list[dict], **household) -> tuple[Household, bool]:
    """Register a settlement-ready household, idempotently by DUF number (UDI's API writes).

    The same household sent twice gives back the first one; DUF numbers that already belong to a
    different household are refused.
    """
    dufs = [p.get("duf_number") for p in persons]
    if len(set(dufs)) != len(dufs):
        raise field_error("persons", "Samme DUF-nummer står flere ganger.", "duplicate_duf")

    def existing():
        rows = list(Person.objects.filter(duf_number__in=dufs).values_list("household_id", flat=True))
        if not rows:
            return None
        household = Household.objects.filter(pk=rows[0], size=len(dufs)).first() if len(set(rows)) == 1 else None
        if household is not None and len(rows) == len(dufs):
            return household
        raise field_error("persons", "Ett eller flere DUF-nummer er allerede registrert i en annen husstand.",
                          "duf_in_other_household")

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


@transaction.atomic
def assign_household(actor: Actor, household: Household, *, assigned_on: date | None = None) -> Household:
    """IMDi's decision on the settlement municipality (søkt ut) for an accepted household."""
    policy.require_region(actor, "settlement.assign", household.region_id, message="Husstanden tilhører et annet regionkontor.")
    on = today()
    assigned_on = assigned_on or on
    if assigned_on > on:
        raise field_error("assigned_on", "Datoen for utsøking kan ikke være fram i tid.", "date_in_future")
    municipality_id = Household.objects.values_list("municipality_id", flat=True).get(pk=household.pk)
    if municipality_id is not None:
        lock_municipality(municipality_id)
    household = lock_household(household.pk)
    target = HOUSEHOLD.require("assign", household)
    if household.municipality_id != municipality_id:
        # Declined and proposed elsewhere between the read and the lock: the lock held is the wrong one.
        raise HOUSEHOLD.refusal("assign", household)
    cap = selectors.capacity(household.municipality_id, household.settlement_year)
    if cap.available_to_accept < 0:
        raise ValidationError(f"{household.municipality} har ikke ledig kapasitet i {household.settlement_year}.",
                              code="no_capacity")
    if assigned_on < household.waiting_since:
        raise field_error("assigned_on", "Utsøking kan ikke skje før vedtak om opphold.", "before_residence_permit")
    household.status, household.assigned_on = target, assigned_on
    save(household, actor)
    event(household, EventKind.ASSIGNED, actor, from_status=HouseholdStatus.ACCEPTED,
          municipality=household.municipality, note=f"Søkt ut {assigned_on:%d.%m.%Y}")
    return household


@transaction.atomic
def register_settlement(actor: Actor, household: Household, *, dates: dict[int, date]) -> Household:
    """The municipality registers the settlement date (bosettingsdato) per person.

    A date may not be before the assignment date or in the future. When every member has a
    date, the household is settled.
    """
    household = lock_household(household.pk)
    policy.require_municipality_writer(actor, "settlement.register_settlement", household.municipality_id)
    target = HOUSEHOLD.require("settle", household)
    if not dates:
        raise ValidationError("Oppgi minst én bosettingsdato.", code="no_dates")
    on = today()
    persons = {p.pk: p for p in Person.objects.select_for_update().filter(household=household)}
    errors = {}
    for person_id, day in dates.items():
        person = persons.get(person_id)
        if person is None:
            raise ValidationError("Personen tilhører ikke husstanden.", code="person_not_in_household")
        field = f"person_{person_id}"
        if person.settled_on is not None:
            errors[field] = ValidationError(
                f"{person.full_name} er allerede registrert bosatt {person.settled_on:%d.%m.%Y}.", code="already_settled")
        elif day < household.assigned_on:
            errors[field] = ValidationError(
                f"Bosettingsdato for {person.full_name} kan ikke være før utsøkingsdatoen {household.assigned_on:%d.%m.%Y}.",
                code="before_assignment")
        elif day > on:
            errors[field] = ValidationError("Bosettingsdato kan ikke være fram i tid.", code="date_in_future")
    if errors:
        raise ValidationError(errors)
    for person_id, day in dates.items():
        person = persons[person_id]
        person.settled_on = day
        save(person, actor)
        event(household, EventKind.PERSON_SETTLED, actor, from_status=household.status,
              municipality=household.municipality, note=f"{person.full_name}: {day:%d.%m.%Y}")
    if all(p.settled_on for p in persons.values()):
        household.status = target
        household.settled_on = max(p.settled_on for p in persons.values())
        save(household, actor)
        event(household, EventKind.SETTLED, actor, from_status=HouseholdStatus.ASSIGNED,
              municipality=household.municipality)
    return household


@transaction.atomic
def exit_household(actor: Actor, household: Household, *, reason: str, exited_on: date | None = None, note: str = "") -> Household:
    """Take a household out of the flow (settled on its own, withdrawn, left the country)."""
    policy.require_region(actor, "settlement.exit", household.region_id, message="Husstanden tilhører et annet regionkontor.")
    if reason not in ExitReason.values:
        raise field_error("reason", "Velg en gyldig årsak.", "invalid_reason")
    household = lock_household(household.pk)
    target = HOUSEHOLD.require("exit", household)
    exited_on = exited_on or today()
    if exited_on > today():
        raise field_error("exited_on", "Datoen kan ikke være fram i tid.", "date_in_future")
    if exited_on < bounds.EARLIEST_CASE_DATE:
        raise field_error("exited_on", f"Datoen kan ikke være før {bounds.EARLIEST_CASE_DATE:%d.%m.%Y}.", "date_out_of_range")
    # The live proposals are those the workflow can withdraw (one definition: its sources).
    withdraw = PROPOSAL.transitions["withdraw"]
    for proposal in Proposal.objects.select_for_update().filter(household=household, status__in=withdraw.sources):
        proposal.status = withdraw.target
        save(proposal, actor)
    from_status = household.status
    household.status, household.exit_reason, household.exited_on = target, reason, exited_on
    # Members settled before the exit stay on these places (settlement.definitions.placement).
    household.municipality_before_exit_id = household.municipality_id
    household.settlement_year_before_exit, household.assigned_on_before_exit = household.settlement_year, household.assigned_on
    household.municipality, household.settlement_year = None, None
    household.assigned_on = None
    save(household, actor)
    event(household, EventKind.EXITED, actor, from_status=from_status,
          note=f"{ExitReason(reason).label}. {note}".strip())
    return household
