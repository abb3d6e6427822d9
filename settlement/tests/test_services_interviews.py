"""The settlement interview (bosettingssamtale) through its services: who may register it, for whom, in which
state, which input is refused (a code, nothing changed), what each reader sees, and the proposal guard with its
logged override."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from core.errors import error_codes
from core.models import Agency, ReceptionCentre, Role
from core.roles import Actor, actor_for
from settlement import services
from settlement.interview_models import InterviewWaiver, SettlementInterview
from settlement.models import DistributionList, EventKind, Household, HouseholdEvent, HouseholdStatus, Person
from settlement.services import interviews


@pytest.fixture
def centres(ref):
    return {"rade": ref["centre"], "other": ReceptionCentre.objects.get(name="Lillehammer mottak")}


@pytest.fixture
def staff(make_user, centres):
    return {
        "rade": actor_for(make_user(Role.RECEPTION_CENTRE, "mottak.rade", reception_centre=centres["rade"])),
        "other": actor_for(make_user(Role.RECEPTION_CENTRE, "mottak.lillehammer", reception_centre=centres["other"])),
    }


def valid(today, **overrides):
    data = {"held_on": today - timedelta(days=3), "interviewer": "Kari Mottak", "education_level": "secondary",
            "work_experience": "Snekker i åtte år", "languages": "tigrinja, arabisk", "norwegian_level": "basic",
            "preferences": "Ønsker by", "qualification_plan": "Norskopplæring, deretter fagbrev",
            "need_adapted_housing": True}
    data.update(overrides)
    return data


def head(household) -> Person:
    return household.persons.get(is_head=True)


def _no_interview(household):
    return not SettlementInterview.objects.filter(person__household=household).exists()


def test_the_centre_registers_an_interview_and_it_is_logged(staff, make_household, today):
    household = make_household(interviewed=False)
    interview = interviews.register_interview(staff["rade"], head(household), **valid(today))
    assert (interview.reception_centre_id, interview.interviewer, interview.completeness) == (
        staff["rade"].reception_centre_id, "Kari Mottak", 100)
    assert interview.registered_by == staff["rade"].user
    assert interview.history.count() == 1 and interview.history.first().history_user == staff["rade"].user
    event = HouseholdEvent.objects.get(household=household, kind=EventKind.INTERVIEW)
    assert "uten samtykke" in event.note and event.actor == staff["rade"].user
    # Editing keeps one interview per person, with the earlier version in the history.
    interviews.register_interview(staff["rade"], head(household), **valid(today, work_experience="", preferences=""))
    interview.refresh_from_db()
    assert (interview.completeness, interview.history.count()) == (60, 2)
    assert SettlementInterview.objects.filter(person__household=household).count() == 1


@pytest.mark.parametrize("role", ["admin", "cw_ost", "oslo", "ministry"])
def test_no_other_role_registers_an_interview(actors, role, make_household, today):
    household = make_household(interviewed=False)
    with pytest.raises(PermissionDenied) as exc:
        interviews.register_interview(actors[role], head(household), **valid(today))
    assert error_codes(exc.value) == {"role_not_allowed"}
    assert _no_interview(household)


def test_an_agency_registers_no_interview(make_user, make_household, today):
    udi = actor_for(make_user(Role.AGENCY, "udi", agency=Agency.objects.get(code="udi")))
    household = make_household(interviewed=False)
    with pytest.raises(PermissionDenied) as exc:
        interviews.register_interview(udi, head(household), **valid(today))
    assert error_codes(exc.value) == {"role_not_allowed"}
    assert _no_interview(household)


def test_only_the_persons_own_centre_registers_it(staff, make_household, today):
    household = make_household(interviewed=False)
    for actor in (staff["other"], Actor(user=None, role=Role.RECEPTION_CENTRE)):
        with pytest.raises(PermissionDenied) as exc:
            interviews.register_interview(actor, head(household), **valid(today))
        assert error_codes(exc.value) == {"other_centre"}
    # A household that never lived at a centre has no centre to hold it.
    household.reception_centre = None
    household.save()
    with pytest.raises(PermissionDenied):
        interviews.register_interview(staff["rade"], head(household), **valid(today))
    assert _no_interview(household)


@pytest.mark.parametrize("state", [{"settled": True}, {"exited": True}])
def test_a_settled_or_closed_household_can_not_be_changed(staff, make_household, ref, today, state):
    household = make_household(interviewed=False, municipality=ref["oslo"], **state)
    with pytest.raises(ValidationError) as exc:
        interviews.register_interview(staff["rade"], head(household), **valid(today))
    assert error_codes(exc.value) == {"household_closed"}
    assert _no_interview(household)


def test_a_proposed_household_can_still_change_its_consent(staff, make_household, ref, today):
    household = make_household(proposed=True, municipality=ref["oslo"])
    interview = interviews.register_interview(staff["rade"], head(household), **valid(
        today, consent_given_on=today - timedelta(days=3), share_languages=True))
    interviews.register_interview(staff["rade"], head(household), **valid(
        today, consent_given_on=today - timedelta(days=3), share_languages=True, consent_withdrawn_on=today))
    interview.refresh_from_db()
    assert (interview.consent_active, interview.shared_scopes()) == (False, [])


@pytest.mark.parametrize("overrides, field, code", [
    ({"held_on": "tomorrow"}, "held_on", "date_out_of_range"),
    ({"held_on": date(1899, 12, 31)}, "held_on", "date_out_of_range"),
    ({"held_on": "before_permit"}, "held_on", "before_permit"),
    ({"held_on": None}, "held_on", "required"),
    ({"interviewer": "   "}, "interviewer", "required"),
    ({"education_level": "phd"}, "education_level", "invalid_choice"),
    ({"norwegian_level": ""}, "norwegian_level", "invalid_choice"),
    ({"work_experience": "x" * 501}, "work_experience", "too_long"),
    ({"interviewer": "x" * 121}, "interviewer", "too_long"),
    ({"qualification_plan": "x" * 2001}, "qualification_plan", "too_long"),
    ({"share_health": True}, "consent_given_on", "consent_missing"),
    ({"consent_withdrawn_on": "today"}, "consent_withdrawn_on", "no_consent_to_withdraw"),
    ({"consent_given_on": "today", "consent_withdrawn_on": "yesterday"}, "consent_withdrawn_on", "withdrawn_before_given"),
    ({"consent_given_on": "tomorrow"}, "consent_given_on", "date_out_of_range"),
    ({"consent_given_on": date(1899, 1, 1)}, "consent_given_on", "date_out_of_range"),
    ({"consent_given_on": "yesterday", "consent_withdrawn_on": "tomorrow"}, "consent_withdrawn_on", "date_out_of_range"),
])
def test_bad_input_is_refused_with_a_code_and_nothing_changes(staff, make_household, today, overrides, field, code):
    household = make_household(interviewed=False)
    person = head(household)
    days = {"today": today, "tomorrow": today + timedelta(days=1), "yesterday": today - timedelta(days=1),
            "before_permit": person.residence_permit_date - timedelta(days=1)}
    data = valid(today, **{k: days.get(v, v) if isinstance(v, str) else v for k, v in overrides.items()})
    with pytest.raises(ValidationError) as exc:
        interviews.register_interview(staff["rade"], person, **data)
    assert exc.value.error_dict.keys() == {field}
    assert error_codes(exc.value) == {code}
    assert _no_interview(household)
    assert not HouseholdEvent.objects.filter(household=household, kind=EventKind.INTERVIEW).exists()
    # An existing interview is left as it was.
    interviews.register_interview(staff["rade"], person, **valid(today))
    with pytest.raises(ValidationError):
        interviews.register_interview(staff["rade"], person, **data)
    assert SettlementInterview.objects.get(person=person).history.count() == 1


def test_reception_staff_see_only_the_households_living_at_their_centre(staff, make_household, centres, ref):
    at_rade, elsewhere = make_household(), make_household(centre=centres["other"])
    settled = make_household(settled=True, municipality=ref["oslo"])
    proposed = make_household(proposed=True, municipality=ref["oslo"])
    assert set(Household.objects.visible_to(staff["rade"])) == {at_rade, proposed}
    assert set(Household.objects.visible_to(staff["other"])) == {elsewhere}
    assert not Household.objects.visible_to(Actor(user=None, role=Role.RECEPTION_CENTRE)).exists()
    assert settled not in Household.objects.visible_to(staff["rade"])
    assert set(Person.objects.visible_to(staff["rade"])) == set(at_rade.persons.all()) | set(proposed.persons.all())


def _sections(actor, interview):
    shown, withheld = interviews.interview_sections(actor, interview)
    return {s.label: dict(s.rows) for s in shown}, withheld


def test_what_each_reader_sees_follows_the_consent(staff, actors, make_household, ref, today):
    household = make_household(proposed=True, municipality=ref["oslo"])
    person = head(household)
    interview = interviews.register_interview(staff["rade"], person, **valid(
        today, consent_given_on=today, share_languages=True, share_qualification_plan=True,
        need_mental_health=True))
    oslo = actors["oslo"]
    shown, withheld = _sections(oslo, interview)
    assert set(shown) == {"Språk", "Kvalifiseringsplan"}
    assert shown["Språk"]["Språk"] == "tigrinja, arabisk"
    assert set(withheld) == {"Utdanning og arbeidserfaring", "Helsebehov", "Ønsker og tilknytning"}
    # IMDi reads everything but health, which needs consent too; the centre reads everything.
    shown, withheld = _sections(actors["cw_ost"], interview)
    assert "Helsebehov" not in shown and withheld == ["Helsebehov"]
    shown, withheld = _sections(staff["rade"], interview)
    assert shown["Helsebehov"]["Helsebehov"] == "Behov for oppfølging av psykisk helse, Trenger tilrettelagt bolig"
    assert withheld == []
    assert "Helsebehov" in _sections(staff["other"], interview)[1]
    # Consent to share health opens it to IMDi and the municipality; withdrawing consent closes everything.
    interview = interviews.register_interview(staff["rade"], person, **valid(
        today, consent_given_on=today, share_languages=True, share_health=True, need_mental_health=True))
    assert _sections(oslo, interview)[0]["Helsebehov"]["Helsebehov"].startswith("Behov for oppfølging av psykisk helse")
    assert "Helsebehov" in _sections(actors["cw_ost"], interview)[0]
    interview = interviews.register_interview(staff["rade"], person, **valid(
        today, consent_given_on=today, share_languages=True, share_health=True, consent_withdrawn_on=today))
    assert _sections(oslo, interview)[0] == {}
    assert "Helsebehov" not in _sections(actors["cw_ost"], interview)[0]


# The proposal guard and its override.

def _propose(actor, household, ref, today):
    return services.propose_households(actor, municipality=ref["oslo"], household_ids=[household.pk],
                                       reply_deadline=today + timedelta(days=14))


def test_a_household_is_not_proposed_before_its_interview(actors, staff, make_household, decide, ref, today):
    decide(ref["oslo"], places=10)
    household = make_household(size=2, children=1, interviewed=False)
    with pytest.raises(ValidationError) as exc:
        _propose(actors["cw_ost"], household, ref, today)
    assert error_codes(exc.value) == {"interview_missing"}
    household.refresh_from_db()
    assert household.status == HouseholdStatus.READY and not DistributionList.objects.exists()
    # The adult's interview is enough: a child is not interviewed.
    interviews.register_interview(staff["rade"], head(household), **valid(today))
    _propose(actors["cw_ost"], household, ref, today)
    household.refresh_from_db()
    assert household.status == HouseholdStatus.PROPOSED


def test_every_adult_needs_an_interview_and_a_minor_alone_needs_one(actors, staff, make_household, decide, ref, today):
    decide(ref["oslo"], places=10)
    couple = make_household(size=2, interviewed=False)
    interviews.register_interview(staff["rade"], head(couple), **valid(today))
    with pytest.raises(ValidationError) as exc:
        _propose(actors["cw_ost"], couple, ref, today)
    assert error_codes(exc.value) == {"interview_missing"} and "Selam" in str(exc.value)
    minor = make_household(interviewed=False)
    Person.objects.filter(household=minor).update(birth_date=today - timedelta(days=365 * 16))
    assert [p.pk for p in interviews.persons_without_interview(minor, today)] == [head(minor).pk]


def test_a_household_without_a_centre_needs_no_interview(actors, make_household, decide, ref, today):
    decide(ref["oslo"], places=10)
    household = make_household(interviewed=False)
    Household.objects.filter(pk=household.pk).update(reception_centre=None)
    _propose(actors["cw_ost"], household, ref, today)
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.PROPOSED


def test_a_caseworker_waives_the_interview_with_a_reason_that_is_logged(actors, make_household, decide, ref, today):
    decide(ref["oslo"], places=10)
    household = make_household(interviewed=False)
    waiver = interviews.waive_interview(actors["cw_ost"], household, reason="  Akutt behov for bosetting  ")
    assert (waiver.reason, waiver.waived_by) == ("Akutt behov for bosetting", actors["cw_ost"].user)
    assert waiver.history.get().history_user == actors["cw_ost"].user
    event = HouseholdEvent.objects.get(household=household, kind=EventKind.INTERVIEW_WAIVED)
    assert (event.note, event.actor) == ("Akutt behov for bosetting", actors["cw_ost"].user)
    _propose(actors["cw_ost"], household, ref, today)
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.PROPOSED


@pytest.mark.parametrize("role, code", [("oslo", "role_not_allowed"), ("ministry", "role_not_allowed"),
                                        ("cw_vest", "other_region"), ("reception", "role_not_allowed")])
def test_only_the_households_region_waives(actors, staff, make_household, role, code):
    household = make_household(interviewed=False)
    actor = staff["rade"] if role == "reception" else actors[role]
    with pytest.raises(PermissionDenied) as exc:
        interviews.waive_interview(actor, household, reason="Grunn")
    assert error_codes(exc.value) == {code}
    assert not InterviewWaiver.objects.exists()
    interviews.waive_interview(actors["admin"], household, reason="Grunn")  # the national admin may


@pytest.mark.parametrize("case, code", [("blank", "reason_required"), ("long", "too_long"), ("proposed", "not_ready"),
                                        ("interviewed", "interview_not_missing"), ("again", "already_waived")])
def test_a_waiver_is_refused_when_it_makes_no_sense(actors, make_household, ref, case, code):
    household = make_household(interviewed=case == "interviewed", **(
        {"proposed": True, "municipality": ref["oslo"]} if case == "proposed" else {}))
    if case in ("proposed",):
        SettlementInterview.objects.filter(person__household=household).delete()
    if case == "again":
        interviews.waive_interview(actors["cw_ost"], household, reason="Første")
    reason = {"blank": "  ", "long": "x" * 501}.get(case, "Grunn")
    before = InterviewWaiver.objects.count()
    with pytest.raises(ValidationError) as exc:
        interviews.waive_interview(actors["cw_ost"], household, reason=reason)
    assert error_codes(exc.value) == {code}
    assert InterviewWaiver.objects.count() == before
    assert HouseholdEvent.objects.filter(household=household, kind=EventKind.INTERVIEW_WAIVED).count() == before


def test_interview_status_for_the_queue(staff, make_household, today):
    household = make_household(size=2, interviewed=False)
    state = interviews.interview_status(household, today)
    assert (state.required, state.missing, state.interviewed, state.expected, state.completeness) == (True, True, 0, 2, 0)
    interviews.register_interview(staff["rade"], head(household), **valid(today))
    state = interviews.interview_status(Household.objects.get(pk=household.pk), today)
    assert (state.missing, state.interviewed, state.held_on, state.completeness) == (True, 1, today - timedelta(days=3), 50)


# The database holds the same rules for rows written past the services.

@pytest.mark.parametrize("fields", [
    {"share_health": True},
    {"consent_given_on": date(2025, 5, 2), "consent_withdrawn_on": date(2025, 5, 1)},
    {"consent_withdrawn_on": date(2025, 5, 1)},
    {"completeness": 101},
    {"held_on": date(1899, 1, 1)},
    {"interviewer": ""},
])
def test_the_database_refuses_what_the_services_refuse(make_household, ref, fields):
    person = head(make_household(interviewed=False))
    row = {"person": person, "reception_centre": ref["centre"], "held_on": date(2025, 5, 1), "interviewer": "K", **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        SettlementInterview.objects.create(**row)


def test_a_reception_user_has_a_centre_and_no_other_role_has_one(make_user, ref):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user(Role.RECEPTION_CENTRE, "uten-mottak")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user(Role.CASEWORKER, "cw-med-mottak", region=ref["ost"], reception_centre=ref["centre"])
    with pytest.raises(IntegrityError), transaction.atomic():
        make_user(Role.RECEPTION_CENTRE, "mottak-med-region", region=ref["ost"], reception_centre=ref["centre"])
