"""The municipality's pages: scope by URL and by id, form errors that lose nothing, read-only users."""

from datetime import timedelta

from django.core.exceptions import NON_FIELD_ERRORS
from django.test import Client
from django.urls import reverse

from core.testing import count_queries
from settlement import services
from settlement.models import HouseholdStatus, MunicipalDecision, Person, ProposalStatus


def test_municipality_cannot_see_another_municipalitys_household_or_person(login, users, proposed):
    client = login(users["oslo"])
    own, _ = proposed["oslo"]
    other, other_proposal = proposed["bergen"]
    assert client.get(reverse("settlement:household", args=[own.pk])).status_code == 200
    assert client.get(reverse("settlement:household", args=[other.pk])).status_code == 404
    assert client.get(reverse("settlement:person", args=[other.persons.get().pk])).status_code == 404
    assert client.get(reverse("settlement:person", args=[own.persons.first().pk])).status_code == 302
    # By id: answering Bergen's proposal from Oslo's inbox is a 404 and changes nothing.
    response = client.post(reverse("settlement:inbox"), {"proposal": other_proposal.pk, "action": "accept"})
    assert response.status_code == 404
    other_proposal.refresh_from_db()
    assert other_proposal.status == ProposalStatus.PENDING
    # Nor can Oslo post an action on Bergen's household.
    assert client.post(reverse("settlement:household", args=[other.pk]), {"action": "accept"}).status_code == 404
    inbox = client.get(reverse("settlement:inbox")).content.decode()
    assert "Oslofamilie" in inbox and "Bergenperson" not in inbox


def test_declined_household_disappears_from_municipality(login, users, actors, proposed):
    household, proposal = proposed["oslo"]
    services.decline_proposal(actors["oslo"], proposal, reason="housing")
    assert login(users["oslo"]).get(reverse("settlement:household", args=[household.pk])).status_code == 404


def test_read_only_municipality_user_cannot_accept(login, users, proposed):
    household, proposal = proposed["oslo"]
    client = login(users["oslo_read"])
    assert client.get(reverse("settlement:household", args=[household.pk])).status_code == 200
    assert client.post(reverse("settlement:inbox"), {"proposal": proposal.pk, "action": "accept"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_municipality_pages_render(login, users, proposed):
    client = login(users["oslo"])
    for url in ("settlement:inbox", "settlement:decision", "settlement:settlement_registration", "settlement:requests",
                "settlement:distribution_lists"):
        assert client.get(reverse(url)).status_code == 200, url


def test_decision_form_rejects_negative_number_and_keeps_input(login, users, ref, today):
    client = login(users["oslo"])
    response = client.post(reverse("settlement:decision"), {
        "year": today.year, "places": -5, "unaccompanied_minors": 0, "decided_on": today.isoformat(),
        "housing_plan": "Plan for 20 nye boliger",
    })
    assert response.status_code == 400
    assert response.context["form"].has_error("places", "negative_count")
    assert "Plan for 20 nye boliger" in response.content.decode()  # nothing the user typed is lost
    assert not MunicipalDecision.objects.exists()

    response = client.post(reverse("settlement:decision"), {
        "year": today.year, "places": 40, "unaccompanied_minors": 5, "decided_on": today.isoformat(), "housing_plan": "",
    })
    assert response.status_code == 302
    assert MunicipalDecision.objects.get().places == 40
    assert login(users["oslo_read"]).post(reverse("settlement:decision"), {"year": today.year, "places": 1}).status_code == 403


def test_accept_beyond_capacity_in_inbox_shows_error(login, users, ref, proposed):
    household, proposal = proposed["oslo"]  # two persons
    MunicipalDecision.objects.filter(municipality=ref["oslo"]).update(places=1)
    response = login(users["oslo"]).post(reverse("settlement:inbox"), {
        "proposal": proposal.pk, "action": "accept", f"a{proposal.pk}-comment": "Vi tar dem gjerne",
    })
    assert response.status_code == 400
    assert response.context["proposals"][0].accept_form.has_error(NON_FIELD_ERRORS, "over_capacity")
    assert "Vi tar dem gjerne" in response.content.decode()
    household.refresh_from_db()
    assert household.status == HouseholdStatus.PROPOSED


def test_decline_without_reason_is_a_form_error(login, users, proposed):
    _, proposal = proposed["oslo"]
    response = login(users["oslo"]).post(reverse("settlement:inbox"), {
        "proposal": proposal.pk, "action": "decline", f"d{proposal.pk}-reason": "", f"d{proposal.pk}-comment": "Mangler bolig",
    })
    assert response.status_code == 400
    assert response.context["proposals"][0].decline_form.has_error("reason", "required")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_settlement_date_before_assignment_in_web_form(login, users, ref, make_household, today):
    household = make_household(size=2, assigned=True, municipality=ref["oslo"], assigned_on=today - timedelta(days=2))
    person = household.persons.first()
    client = login(users["oslo"])
    response = client.post(reverse("settlement:settlement_registration"), {
        "household": household.pk, f"h{household.pk}-person_{person.pk}": (today - timedelta(days=20)).isoformat(),
    })
    assert response.status_code == 400
    assert response.context["households"][0].form.has_error(f"person_{person.pk}", "before_assignment")
    assert not Person.objects.filter(settled_on__isnull=False).exists()

    dates = {f"h{household.pk}-person_{p.pk}": today.isoformat() for p in household.persons.all()}
    response = client.post(reverse("settlement:settlement_registration"), {"household": household.pk, **dates})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.status == HouseholdStatus.SETTLED


def test_inbox_query_count_stays_constant_as_proposals_grow(users, ref, make_household, decide):
    decide(ref["oslo"], places=200)
    oslo = Client()
    oslo.force_login(users["oslo"])

    def inbox_queries():
        with count_queries() as q:
            assert oslo.get(reverse("settlement:inbox")).status_code == 200
        return len(q)

    for _ in range(2):
        make_household(size=2, proposed=True, municipality=ref["oslo"])
    before = inbox_queries()
    for _ in range(8):
        make_household(size=2, proposed=True, municipality=ref["oslo"])
    assert inbox_queries() == before
