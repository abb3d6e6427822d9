"""The settlement interview's pages: the reception centre's list and form, the household page by reader and consent,
the caseworker's queue columns and the logged override."""

from datetime import timedelta

import pytest
from django.urls import reverse

from core.models import ReceptionCentre, Role
from core.navigation import menu_for
from core.roles import actor_for
from settlement.interview_models import InterviewWaiver, SettlementInterview
from settlement.models import EventKind, HouseholdEvent
from settlement.services import interviews


@pytest.fixture
def rade_user(make_user, ref):
    return make_user(Role.RECEPTION_CENTRE, "mottak.rade", reception_centre=ref["centre"])


def form_data(today, **overrides):
    data = {"held_on": (today - timedelta(days=2)).isoformat(), "interviewer": "Kari Mottak", "education_level": "higher",
            "work_experience": "Sykepleier", "languages": "arabisk, engelsk", "norwegian_level": "basic",
            "need_medical_follow_up": "on", "preferences": "Nær slekt", "ties": "Bror bor i Oslo",
            "tied_municipality": "", "qualification_plan": "Norsk til B1, autorisasjon som sykepleier",
            "consent_given_on": today.isoformat(), "share_education_work": "on", "share_languages": "on",
            "consent_withdrawn_on": ""}
    data.update(overrides)
    return data


def test_the_centre_lists_its_residents_and_registers_an_interview(login, rade_user, make_household, ref, today):
    mine = make_household(last="Rådefamilie", interviewed=False)
    other = make_household(last="Lillehammerfamilie", centre=ReceptionCentre.objects.get(name="Lillehammer mottak"))
    client = login(rade_user)
    assert client.get(reverse("home")).url == reverse("settlement:reception")
    page = client.get(reverse("settlement:reception")).content.decode()
    assert "Rådefamilie" in page and "Lillehammerfamilie" not in page and "Mangler" in page
    assert [link.label for link in menu_for(actor_for(rade_user))] == ["Bosettingsklare"]
    person = mine.persons.get()
    url = reverse("settlement:interview", args=[person.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, form_data(today))
    assert response.status_code == 302
    interview = SettlementInterview.objects.get(person=person)
    assert (interview.education_level, interview.need_medical_follow_up, interview.shared_scopes()) == (
        "higher", True, ["share_education_work", "share_languages"])
    assert interview.history.get().history_user == rade_user
    # Another centre's resident is not there at all.
    assert client.get(reverse("settlement:interview", args=[other.persons.get().pk])).status_code == 404
    assert client.post(reverse("settlement:interview", args=[other.persons.get().pk]), form_data(today)).status_code == 404


@pytest.mark.parametrize("overrides, field", [
    ({"held_on": "2999-01-01"}, "held_on"),
    ({"held_on": "ikke en dato"}, "held_on"),
    ({"interviewer": ""}, "interviewer"),
    ({"education_level": "phd"}, "education_level"),
    ({"consent_given_on": ""}, "consent_given_on"),  # shares ticked without consent
    ({"consent_withdrawn_on": "2000-01-01"}, "consent_withdrawn_on"),
    ({"qualification_plan": "x" * 2001}, "qualification_plan"),
])
def test_a_bad_form_is_a_400_with_the_field_and_nothing_is_saved(login, rade_user, make_household, today, overrides, field):
    person = make_household(interviewed=False).persons.get()
    response = login(rade_user).post(reverse("settlement:interview", args=[person.pk]), form_data(today, **overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert "feilsammendrag" in response.content.decode()
    assert not SettlementInterview.objects.filter(person=person).exists()


def test_other_roles_get_no_reception_pages(login, users, make_household):
    person = make_household().persons.get()
    for name in ("cw_ost", "admin", "oslo", "ministry"):
        client = login(users[name])
        assert client.get(reverse("settlement:reception")).status_code == 403
        assert client.get(reverse("settlement:interview", args=[person.pk])).status_code == 403


def _register(rade_user, household, today, **data):
    base = {"held_on": today - timedelta(days=2), "interviewer": "Kari", "education_level": "higher",
            "work_experience": "Sykepleier", "languages": "arabisk", "need_mental_health": True,
            "qualification_plan": "Norsk til B1"}
    return interviews.register_interview(actor_for(rade_user), household.persons.get(is_head=True), **{**base, **data})


def test_the_proposed_municipality_sees_what_consent_opens_and_no_health_without_it(
        login, users, rade_user, make_household, ref, today):
    household = make_household(proposed=True, municipality=ref["oslo"], interviewed=False)
    household.special_needs = "Diagnose som ikke skal vises"
    household.save()
    _register(rade_user, household, today, consent_given_on=today, share_languages=True,
              share_qualification_plan=True)
    page = login(users["oslo"]).get(reverse("settlement:household", args=[household.pk])).content.decode()
    assert "Norsk til B1" in page and "arabisk" in page
    assert "Sykepleier" not in page  # education and work not consented
    assert "psykisk helse" not in page.lower()
    assert "Ikke delt (mangler samtykke): Utdanning og arbeidserfaring, Helsebehov" in page
    assert "Diagnose som ikke skal vises" not in page  # free text goes to IMDi only
    # The caseworker reads all but health; with consent to share health both read it.
    page = login(users["cw_ost"]).get(reverse("settlement:household", args=[household.pk])).content.decode()
    assert "Sykepleier" in page and "psykisk helse" not in page.lower() and "Diagnose som ikke skal vises" in page
    _register(rade_user, household, today, consent_given_on=today, share_health=True)
    page = login(users["oslo"]).get(reverse("settlement:household", args=[household.pk])).content.decode()
    assert "Behov for oppfølging av psykisk helse" in page


def test_the_queue_shows_the_interview_date_and_completeness(login, users, rade_user, make_household, today):
    waiting = make_household(last="Uten", interviewed=False)
    done = make_household(last="Med", interviewed=False)
    _register(rade_user, done, today)
    client = login(users["cw_ost"])
    table = client.get(reverse("settlement:work_queue")).context["table"]
    rows = {row.record.pk: row for row in table.rows}
    assert "Mangler" in rows[waiting.pk].get_cell("interview")
    assert rows[done.pk].get_cell("interview") == (today - timedelta(days=2)).strftime("%d.%m.%Y")
    assert rows[done.pk].get_cell("interview_completeness") == "80\u00a0%"
    csv = client.get(reverse("settlement:work_queue"), {"format": "csv"}).content.decode("utf-8-sig").splitlines()
    header = csv[0].split(";")
    line = next(r.split(";") for r in csv[1:] if r.startswith(f"{done.pk};"))
    assert (line[header.index("Samtale")], line[header.index("Kartlagt")]) == ((today - timedelta(days=2)).isoformat(), "80")


def test_the_caseworker_waives_the_interview_with_a_logged_reason(login, users, make_household):
    household = make_household(interviewed=False)
    client = login(users["cw_ost"])
    page = client.get(reverse("settlement:household", args=[household.pk])).content.decode()
    assert reverse("settlement:interview_waiver", args=[household.pk]) in page
    url = reverse("settlement:interview_waiver", args=[household.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    assert not InterviewWaiver.objects.exists()
    assert client.post(url, {"reason": "Akutt behov"}).status_code == 302
    event = HouseholdEvent.objects.get(household=household, kind=EventKind.INTERVIEW_WAIVED)
    assert event.note == "Akutt behov"
    page = client.get(reverse("settlement:household", args=[household.pk])).content.decode()
    assert "Akutt behov" in page and url not in page
    # A second waiver is refused on the form (the service's code), not a 500.
    response = client.post(url, {"reason": "Igjen"})
    assert response.status_code == 400
    assert InterviewWaiver.objects.count() == 1
    # The other region's caseworker and a municipality get nothing.
    assert login(users["cw_vest"]).post(url, {"reason": "x"}).status_code == 404
    assert login(users["oslo"]).get(url).status_code == 403
