"""Family reunification (familiegjenforening): a household joining a settled refugee goes to that refugee's
municipality, without a distribution list or an answer from the municipality.

The evaluation counts granted reunifications among the persons to settle (1,749 in 2012, line 916), and the
integration grant follows "familieinnvandring knyttet til disse" (lines 2726-2729). So:
- a ready household is linked to its reference person (referanseperson), a member of a settled household
  (`link_reunification`);
- IMDi then assigns it straight to the reference household's municipality (`assign_reunified`); the municipality
  registers the settlement date as for every other household (services.register_settlement), and the persons
  count, by their settlement date, in the year's figures and in the per-capita grants (grants.entitlements);
- capacity: the document makes the move follow the reference person, not a proposal round the municipality can
  answer, so the assignment needs neither a decision nor free places; the persons do use the year's places like
  every other settled person (settlement.definitions.used_places), and an assignment beyond the decision is said
  in the timeline for the caseworker and the municipality to see.
"""

from datetime import date

from django.db import transaction

from core import bounds, policy
from core.errors import field_error
from core.roles import Actor

from .. import selectors
from ..models import DUF_VALIDATOR, EventKind, Household, HouseholdStatus, Person
from ..workflows import HOUSEHOLD
from .common import event, lock_household, lock_municipality, save, today

REGION_MESSAGE = "Husstanden tilhører et annet regionkontor."


def _reference_household(person: Person) -> Household:
    """The reference person's household, which must be settled in a municipality (reference_not_settled)."""
    ref = person.household
    if ref.status != HouseholdStatus.SETTLED or ref.municipality_id is None or person.settled_on is None:
        raise field_error("reference_duf", f"{person.full_name} er ikke bosatt i en kommune; familiegjenforening "
                          "krever en bosatt referanseperson.", "reference_not_settled")
    return ref


@transaction.atomic
def link_reunification(actor: Actor, household: Household, *, reference_duf: str, note: str = "") -> Household:
    """Link a ready household to the settled person it joins (referanseperson), found by DUF number."""
    policy.require_region(actor, "settlement.reunify", household.region_id, message=REGION_MESSAGE)
    reference_duf = (reference_duf or "").strip()
    if not DUF_VALIDATOR.regex.match(reference_duf):
        raise field_error("reference_duf", "DUF-nummeret har nøyaktig 12 siffer.", "invalid_duf")
    if len(note) > 500:
        raise field_error("note", "Merknaden kan ha høyst 500 tegn.", "too_long")
    household = lock_household(household.pk)
    if not HOUSEHOLD.allows("reunify", household.status):
        raise HOUSEHOLD.refusal("reunify", household, field="reference_duf")
    person = Person.objects.select_related("household", "household__municipality").filter(duf_number=reference_duf).first()
    if person is None:
        raise field_error("reference_duf", f"Fant ingen person med DUF-nummer {reference_duf}.", "reference_not_found")
    if person.household_id == household.pk:
        raise field_error("reference_duf", "Referansepersonen kan ikke være i samme husstand.", "same_household")
    ref = _reference_household(person)
    household.reference_person = person
    save(household, actor)
    event(household, EventKind.REUNIFICATION_LINKED, actor, from_status=household.status, municipality=ref.municipality,
          note=f"Referanseperson {person.full_name} (DUF {person.duf_number}), bosatt i {ref.municipality.name} "
               f"{person.settled_on:%d.%m.%Y}. {note}".strip())
    return household


@transaction.atomic
def assign_reunified(actor: Actor, household: Household, *, assigned_on: date | None = None) -> Household:
    """IMDi assigns (søker ut) a linked household straight to its reference person's municipality."""
    policy.require_region(actor, "settlement.reunify", household.region_id, message=REGION_MESSAGE)
    on = today()
    assigned_on = assigned_on or on
    if assigned_on > on:
        raise field_error("assigned_on", "Datoen for utsøking kan ikke være fram i tid.", "date_in_future")
    errors = {}
    # Last year at the earliest. That bound is never below 2000 (bounds.EARLIEST_CASE_DATE) and the future is
    # refused above, so a check_date on the same field could only ever write an error this one overwrites.
    bounds.check_year(errors, "assigned_on", assigned_on.year, on)
    bounds.raise_if(errors)
    reference_id = Household.objects.values_list("reference_person_id", flat=True).get(pk=household.pk)
    if reference_id is None:
        raise field_error("assigned_on", "Husstanden er ikke knyttet til en referanseperson.", "no_reference")
    person = Person.objects.select_related("household", "household__municipality").get(pk=reference_id)
    ref = _reference_household(person)
    municipality = lock_municipality(ref.municipality_id)  # the municipality row first (see .common)
    household = lock_household(household.pk)
    target = HOUSEHOLD.require("reunify", household, field="assigned_on")
    if household.reference_person_id != reference_id:
        raise field_error("assigned_on", "Referansepersonen er endret i mellomtiden. Prøv igjen.", "reference_changed")
    if assigned_on < household.waiting_since:
        raise field_error("assigned_on", "Utsøking kan ikke skje før vedtak om opphold.", "before_residence_permit")
    if assigned_on < person.settled_on:
        raise field_error("assigned_on", f"Utsøking kan ikke skje før referansepersonen ble bosatt "
                          f"({person.settled_on:%d.%m.%Y}).", "before_reference_settled")
    year = assigned_on.year
    from_status = household.status
    household.status, household.municipality, household.settlement_year = target, municipality, year
    household.assigned_on = assigned_on
    save(household, actor)
    cap = selectors.capacity(municipality.pk, year)
    over = (f" Kommunen har nå {-cap.remaining} flere personer enn vedtaket for {year}."
            if cap.remaining < 0 else "")
    event(household, EventKind.REUNIFIED, actor, from_status=from_status, municipality=municipality,
          note=f"Familiegjenforening med {person.full_name} (husstand {ref.pk}). Søkt ut {assigned_on:%d.%m.%Y}.{over}")
    return household
