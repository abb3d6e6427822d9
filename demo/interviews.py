"""The demo's reception centres at work (issue 12.1): a user per centre with residents (`mottak.<slug>`, password
demo) and the settlement interview (bosettingssamtale) for most settlement-ready households and for every household
already proposed, with consent and a qualification plan. Quality varies, as the evaluation says it does
(imdi-evaluation-2014.txt 4647-4649): some interviews leave parts out, some persons give no consent.

Deterministic (its own random generator); rows in bulk (demo.store), each with its history row and a timeline event."""

import random
from datetime import timedelta
from itertools import accumulate

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import slugify

from core.models import ReceptionCentre, Role, UserProfile
from settlement.interview_models import EducationLevel, NorwegianLevel, SettlementInterview
from settlement.models import EventKind, Household, HouseholdEvent, HouseholdStatus, Person
from settlement.services.interviews import completeness_of, persons_to_interview

from .people import draw
from .store import aware, history_rows, insert_rows, instance_row, reserve_ids
from .users import demo_password_hash

READY_SHARE = 0.85  # of settlement-ready households have their interview registered
LANGUAGES = {
    "AFG": "dari, pashto", "COD": "fransk, lingala", "ERI": "tigrinja, arabisk", "ETH": "amharisk, oromo",
    "IRN": "persisk", "IRQ": "arabisk, kurdisk", "MMR": "burmesisk, karen", "PSE": "arabisk", "SDN": "arabisk",
    "SOM": "somali", "SSD": "arabisk, dinka", "SYR": "arabisk, kurdisk", "UKR": "ukrainsk, russisk", "XXA": "arabisk",
}
WORK = ["Snekker", "Sykepleier", "Bonde", "Sjåfør", "Frisør", "Butikkmedarbeider", "Lærer", "Elektriker", "Kokk",
        "Hjemmeværende", "Student", "Mekaniker"]
PLANS = {
    EducationLevel.NONE: "Alfabetisering og norsk, deretter grunnskole for voksne.",
    EducationLevel.PRIMARY: "Norsk til A2, grunnskole for voksne, arbeidspraksis.",
    EducationLevel.SECONDARY: "Norsk til B1, videregående opplæring eller arbeidspraksis.",
    EducationLevel.VOCATIONAL: "Norsk til B1, godkjenning av fagbrev, arbeidspraksis i faget.",
    EducationLevel.HIGHER: "Norsk til B2, godkjenning av utdanning (NOKUT), kvalifisering for arbeid i faget.",
}
EDUCATION_WEIGHTS = {EducationLevel.NONE: 2, EducationLevel.PRIMARY: 4, EducationLevel.SECONDARY: 3,
                     EducationLevel.VOCATIONAL: 2, EducationLevel.HIGHER: 2}
EDUCATIONS, EDUCATION_CUM_WEIGHTS = list(EDUCATION_WEIGHTS), list(accumulate(EDUCATION_WEIGHTS.values()))


def username_for(centre: ReceptionCentre) -> str:
    """mottak.<slug>: "Råde mottak" -> mottak.rade, "Hvalstad transittmottak" -> mottak.hvalstad-transittmottak."""
    return "mottak." + slugify(" ".join(w for w in centre.name.split() if w.lower() != "mottak"))


def create_reception_users(centres) -> dict:
    User = get_user_model()
    password = demo_password_hash()
    users = {}
    for centre in centres:
        user, _ = User.objects.update_or_create(
            username=username_for(centre),
            defaults={"first_name": "Mottaksansatt", "last_name": centre.name, "password": password,
                      "email": f"{username_for(centre)}@demo.imdi.no"})
        UserProfile.objects.update_or_create(user=user, defaults={
            "role": Role.RECEPTION_CENTRE, "reception_centre": centre, "region": None, "municipality": None,
            "agency": None, "can_write": False})
        users[centre.pk] = user
    return users


def _interview(rng: random.Random, person: Person, centre_user, as_of) -> SettlementInterview:
    education = draw(rng, EDUCATIONS, EDUCATION_CUM_WEIGHTS)
    held_on = min(person.residence_permit_date + timedelta(days=rng.randint(7, 40)), as_of)
    thorough = rng.random() < 0.7  # the rest leave one or two parts out
    consent = rng.random() < 0.85
    interview = SettlementInterview(
        person=person, reception_centre_id=person.household.reception_centre_id, held_on=held_on,
        interviewer=f"{centre_user.first_name} ({person.household.reception_centre.name})",
        education_level=education if thorough or rng.random() < 0.5 else EducationLevel.UNKNOWN,
        work_experience=rng.choice(WORK) if thorough or rng.random() < 0.5 else "",
        languages=LANGUAGES.get(person.nationality, "arabisk") + (", engelsk" if rng.random() < 0.3 else ""),
        norwegian_level=rng.choice([NorwegianLevel.NONE, NorwegianLevel.NONE, NorwegianLevel.BASIC, NorwegianLevel.INTERMEDIATE]),
        need_physical_disability=rng.random() < 0.03, need_mental_health=rng.random() < 0.06,
        need_adapted_housing=rng.random() < 0.08, need_medical_follow_up=rng.random() < 0.1,
        preferences=rng.choice(["Ønsker by", "Nær slekt", "Ønsker arbeid innen faget", "Ingen særlige ønsker", ""]),
        tied_municipality_id=person.household.tied_municipality_id,
        ties=person.household.ties_note[:200],
        qualification_plan=PLANS.get(education, "") if thorough else "",
        consent_given_on=held_on if consent else None,
        share_education_work=consent, share_languages=consent, share_preferences=consent,
        share_qualification_plan=consent, share_health=consent and rng.random() < 0.6,
        registered_by=centre_user,
    )
    if consent and rng.random() < 0.02:
        interview.consent_withdrawn_on = min(held_on + timedelta(days=rng.randint(5, 30)), as_of)
    interview.completeness = completeness_of(interview)
    return interview


def seed_interviews(as_of=None, seed: int = 2014) -> str:
    as_of = as_of or timezone.localdate()
    rng = random.Random(seed)
    households = list(
        Household.objects.filter(reception_centre__isnull=False, status__in=[
            HouseholdStatus.READY, HouseholdStatus.PROPOSED, HouseholdStatus.ACCEPTED, HouseholdStatus.ASSIGNED])
        .select_related("reception_centre")
        .prefetch_related(Prefetch("persons", queryset=Person.objects.filter(interview__isnull=True)))
        .order_by("pk"))
    centres = sorted({h.reception_centre for h in households}, key=lambda c: c.name)
    users = create_reception_users(centres)
    rows, events = [], []
    for h in households:
        if h.status == HouseholdStatus.READY and rng.random() >= READY_SHARE:
            continue  # waiting for its interview: the caseworker's queue shows "Mangler"
        persons = persons_to_interview(h, as_of)
        if not persons:
            continue
        user = users[h.reception_centre_id]
        made = [_interview(rng, p, user, as_of) for p in persons]
        rows += made
        events.append(HouseholdEvent(
            household=h, kind=EventKind.INTERVIEW, at=aware(max(i.held_on for i in made), 13),
            actor=user, from_status=h.status, to_status=h.status,
            note=f"Bosettingssamtale for {len(made)} person(er)"))
    now = timezone.now()
    for row, pk in zip(rows, reserve_ids(SettlementInterview, len(rows))):
        row.pk, row.registered_at, row.updated_at = pk, now, now
    values = [instance_row(r) for r in rows]
    insert_rows(SettlementInterview, values)
    insert_rows(SettlementInterview.history.model, history_rows(SettlementInterview, rows, values, now))
    insert_rows(HouseholdEvent, [instance_row(e) for e in events])
    return (f"Seeded {len(rows)} settlement interviews in {len(events)} households and {len(users)} reception-centre "
            f"users (mottak.<sted>, password demo).")
