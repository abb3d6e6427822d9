"""The settlement interview (bosettingssamtale / kartlegging): the reception centre registers it, IMDi may waive it.

After a residence permit, IMDi asks the reception centre to hold the settlement interview and register it, with a
qualification plan, in a shared system (imdi-evaluation-2014.txt 2261-2265, 3955-3958, 4641-4645). IMDi proposes a
household to a municipality only once its interview is registered (`require_interview`, called by
propose_households); a caseworker may override that with a recorded reason (`waive_interview`). What a
municipality reads follows the person's consent, and health details are shown to nobody outside the centre
without it (4664-4668; `interview_sections`).
"""

from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction

from core import bounds, policy
from core.errors import Forbidden, field_error
from core.roles import Actor

from ..interview_models import (
    COMPLETENESS_PARTS,
    HEALTH_NEEDS,
    SHARE_SCOPES,
    EducationLevel,
    InterviewWaiver,
    NorwegianLevel,
    SettlementInterview,
)
from ..models import EventKind, Household, HouseholdStatus, Person
from .common import event, lock_household, save, today
from .households import ADULT_AGE
# The household still lives at the centre: the interview and the consent can be registered or changed.
OPEN_STATUSES = (HouseholdStatus.READY, HouseholdStatus.PROPOSED, HouseholdStatus.ACCEPTED, HouseholdStatus.ASSIGNED)
TEXT_FIELDS = ("interviewer", "work_experience", "languages", "preferences", "ties", "qualification_plan")
CHOICE_FIELDS = {"education_level": EducationLevel, "norwegian_level": NorwegianLevel}
FLAG_FIELDS = (*HEALTH_NEEDS, *SHARE_SCOPES)
INTERVIEW_FIELDS = ("held_on", *TEXT_FIELDS, *CHOICE_FIELDS, *FLAG_FIELDS, "tied_municipality",
                    "consent_given_on", "consent_withdrawn_on")


def interview_required(household: Household) -> bool:
    """The reception centre holds the interview (3955-3958): households that never lived at one (resettlement
    refugees brought straight to a municipality, family reunification) have none to wait for."""
    return household.reception_centre_id is not None


def persons_to_interview(household: Household, on: date) -> list[Person]:
    """Every adult member; a household without adults (an unaccompanied minor) its head, or every member."""
    members = list(household.persons.all())
    adults = [p for p in members if relativedelta(on, p.birth_date).years >= ADULT_AGE]
    return adults or [p for p in members if p.is_head] or members


def _interview_of(person: Person):
    try:
        return person.interview
    except SettlementInterview.DoesNotExist:
        return None


def persons_without_interview(household: Household, on: date) -> list[Person]:
    if not interview_required(household):
        return []
    return [p for p in persons_to_interview(household, on) if _interview_of(p) is None]


@dataclass(frozen=True)
class InterviewStatus:
    """One household's interview state, for the caseworker's queue and household page."""

    required: bool
    interviewed: int
    expected: int
    held_on: date | None  # the latest interview
    completeness: int | None  # mean over the persons to interview, a missing interview counting 0 (percent)
    waived: bool

    @property
    def missing(self) -> bool:
        return self.required and self.interviewed < self.expected


def interview_status(household: Household, on: date) -> InterviewStatus:
    """Works on prefetched persons (`persons__interview`) and `interview_waiver` without further queries."""
    persons = persons_to_interview(household, on)
    interviews = [i for i in (_interview_of(p) for p in persons) if i is not None]
    waived = is_waived(household)
    completeness = round(sum(i.completeness for i in interviews) / len(persons)) if persons else None
    return InterviewStatus(
        required=interview_required(household), interviewed=len(interviews), expected=len(persons),
        held_on=max((i.held_on for i in interviews), default=None), completeness=completeness, waived=waived,
    )


def may_be_proposed(household: Household, on: date) -> bool:
    """Whether the interview guard lets the household be proposed: every person to interview has one, or the
    interview is waived. On prefetched persons (`persons__interview`) and `interview_waiver`, without queries."""
    return not persons_without_interview(household, on) or is_waived(household)


def is_waived(household: Household) -> bool:
    try:
        return household.interview_waiver is not None
    except InterviewWaiver.DoesNotExist:
        return False


def require_interview(household: Household, on: date, *, field: str = "households") -> None:
    """The guard before a proposal: raise `interview_missing` unless every person to interview has one, or a
    caseworker has waived it (InterviewWaiver)."""
    if may_be_proposed(household, on):
        return
    missing = persons_without_interview(household, on)
    names = ", ".join(p.full_name for p in missing)
    raise field_error(
        field, f"Husstand {household.pk} kan ikke foreslås før mottaket har registrert bosettingssamtale ({names}).",
        "interview_missing")


def completeness_of(interview: SettlementInterview) -> int:
    """Share of the interview's parts that are filled in (percent)."""
    filled = [getattr(interview, f) not in ("", None, EducationLevel.UNKNOWN) for f in COMPLETENESS_PARTS]
    return round(100 * sum(filled) / len(filled))


def _person_at_centre(actor: Actor, person_id) -> Person:
    """The person, if they live at the actor's centre (Household.visible_to); another centre's is a 403."""
    policy.require(actor, "settlement.register_interview")
    household_id = Person.objects.filter(pk=person_id).values_list("household_id", flat=True).first()
    if household_id is None:
        raise field_error("person", "Personen finnes ikke.", "person_not_found")
    household = lock_household(household_id)
    if actor.reception_centre_id is None or household.reception_centre_id != actor.reception_centre_id:
        raise Forbidden("Personen bor ikke på ditt mottak.", code="other_centre")
    if household.status not in OPEN_STATUSES:
        raise ValidationError(
            f"Husstanden er {household.get_status_display().lower()}; samtalen kan ikke lenger endres.",
            code="household_closed")
    return Person.objects.select_related("household").get(pk=person_id)


@transaction.atomic
def register_interview(actor: Actor, person: Person, **data) -> SettlementInterview:
    """Register or update a person's settlement interview and consent, by the staff of the person's centre.

    `data` holds INTERVIEW_FIELDS (any left out keep their value, or the default for a new interview)."""
    unknown = set(data) - set(INTERVIEW_FIELDS)
    if unknown:
        raise TypeError(f"Ukjente felt: {sorted(unknown)}")
    person = _person_at_centre(actor, person.pk)
    interview = _interview_of(person) or SettlementInterview(person=person, reception_centre_id=actor.reception_centre_id)
    created = interview.pk is None
    errors = {}
    for name, value in data.items():
        if name in TEXT_FIELDS:
            value = (value or "").strip()
        elif name in FLAG_FIELDS:
            value = bool(value)
        setattr(interview, name, value)
    on = today()
    if not interview.interviewer:
        errors["interviewer"] = ValidationError("Oppgi hvem som holdt samtalen.", code="required")
    if interview.held_on is None:
        errors["held_on"] = ValidationError("Oppgi samtaledato.", code="required")
    else:
        bounds.check_date(errors, "held_on", interview.held_on, earliest=bounds.EARLIEST_DATE, latest=on,
                          label="Samtaledatoen")
        if "held_on" not in errors and interview.held_on < person.residence_permit_date:
            # The centre holds the interview once the person is told of the permit (3955-3957).
            errors["held_on"] = ValidationError(
                f"Samtalen holdes etter vedtaket om opphold ({person.residence_permit_date:%d.%m.%Y}).",
                code="before_permit")
    for name, choices in CHOICE_FIELDS.items():
        if getattr(interview, name) not in choices.values:
            errors[name] = ValidationError("Ugyldig valg.", code="invalid_choice")
    _check_consent(errors, interview, on)
    bounds.check_lengths(errors, interview)
    bounds.raise_if(errors)
    interview.completeness = completeness_of(interview)
    if created:
        interview.registered_by = actor.user if actor.user and actor.user.is_authenticated else None
    save(interview, actor)
    household = person.household
    event(household, EventKind.INTERVIEW, actor, from_status=household.status,
          note=f"{person.full_name}: samtale {interview.held_on:%d.%m.%Y}, kartlagt {interview.completeness} %"
               + ("" if interview.consent_active else ", uten samtykke til deling"))
    return interview


def _check_consent(errors: dict, interview: SettlementInterview, on: date) -> None:
    given, withdrawn = interview.consent_given_on, interview.consent_withdrawn_on
    bounds.check_date(errors, "consent_given_on", given, earliest=bounds.EARLIEST_DATE, latest=on,
                      label="Samtykkedatoen")
    bounds.check_date(errors, "consent_withdrawn_on", withdrawn, earliest=bounds.EARLIEST_DATE, latest=on,
                      label="Datoen samtykket ble trukket")
    if given is None and any(getattr(interview, f) for f in SHARE_SCOPES):
        errors["consent_given_on"] = ValidationError(
            "Oppgi når samtykket ble gitt, eller fjern valgene for hva som kan deles.", code="consent_missing")
    if withdrawn is not None and "consent_withdrawn_on" not in errors:
        if given is None:
            errors["consent_withdrawn_on"] = ValidationError("Det er ikke registrert noe samtykke å trekke.",
                                                             code="no_consent_to_withdraw")
        elif withdrawn < given:
            errors["consent_withdrawn_on"] = ValidationError("Samtykket kan ikke trekkes før det ble gitt.",
                                                             code="withdrawn_before_given")


@transaction.atomic
def waive_interview(actor: Actor, household: Household, *, reason: str) -> InterviewWaiver:
    """A caseworker lets a household be proposed without its interview; the reason goes into the timeline and the
    audit history."""
    household = lock_household(household.pk)
    policy.require_region(actor, "settlement.waive_interview", household.region_id,
                          message="Husstanden tilhører et annet regionkontor.")
    if household.status != HouseholdStatus.READY:
        raise ValidationError("Bare bosettingsklare husstander kan få unntak fra bosettingssamtale.", code="not_ready")
    if not persons_without_interview(household, today()):
        raise ValidationError("Husstanden har bosettingssamtale, eller trenger ingen.", code="interview_not_missing")
    if InterviewWaiver.objects.filter(household=household).exists():
        raise ValidationError("Husstanden har allerede unntak.", code="already_waived")
    reason = (reason or "").strip()
    waiver = InterviewWaiver(household=household, reason=reason,
                             waived_by=actor.user if actor.user and actor.user.is_authenticated else None)
    errors = {}
    if not reason:
        errors["reason"] = ValidationError("Begrunn unntaket.", code="reason_required")
    bounds.check_lengths(errors, waiver)
    bounds.raise_if(errors)
    save(waiver, actor)
    event(household, EventKind.INTERVIEW_WAIVED, actor, from_status=household.status, note=reason)
    return waiver


# What each reader sees of an interview.

@dataclass
class InterviewSection:
    label: str
    rows: list[tuple[str, str]] = field(default_factory=list)


def interview_sections(actor: Actor, interview: SettlementInterview) -> tuple[list[InterviewSection], list[str]]:
    """The parts of an interview the actor may read, and the labels of the parts withheld.

    The centre that holds it sees everything. IMDi sees everything but the health needs, which it reads only with
    the person's consent to share them (4664-4668). A municipality (the one that has the case: visible_to) sees
    only the scopes the person has consented to, and nothing once consent is withdrawn."""
    shared = set(interview.shared_scopes())
    is_centre = actor.role == policy.RECEPTION and actor.reception_centre_id == interview.reception_centre_id
    sections, withheld = [], []
    for scope, (label, fields) in SHARE_SCOPES.items():
        if is_centre or scope in shared or (actor.role in policy.IMDI and scope != "share_health"):
            sections.append(InterviewSection(label, _rows(interview, scope, fields)))
        else:
            withheld.append(label)
    return sections, withheld


def _rows(interview: SettlementInterview, scope: str, fields) -> list[tuple[str, str]]:
    if scope == "share_health":
        return [("Helsebehov", ", ".join(interview.health_needs()) or "Ingen registrerte behov")]
    rows = []
    for name in fields:
        f = SettlementInterview._meta.get_field(name)
        if f.choices:
            value = getattr(interview, f"get_{name}_display")()
        else:
            value = getattr(interview, name)
        rows.append((f.verbose_name[:1].upper() + f.verbose_name[1:], str(value) if value not in ("", None) else "–"))
    return rows
