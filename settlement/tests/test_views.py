"""The browser pages: scope by URL and by id, form errors that lose nothing, constant query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from settlement import services
from settlement.models import HouseholdStatus, MunicipalDecision, Person, ProposalStatus


@pytest.fixture
def login(client):
    def login(user):
        client.force_login(user)
        return client

    return login


@pytest.fixture
def proposed(ref, actors, make_household, decide, today):
    """One household proposed to Oslo, one proposed to Bergen."""
    decide(ref["oslo"], places=10)
    decide(ref["bergen"], places=10)
    to_oslo, to_bergen = make_household(size=2, last="Oslofamilie"), make_household(size=1, last="Bergenperson")
    p_oslo = services.propose_households(actors["cw_ost"], municipality=ref["oslo"], household_ids=[to_oslo.pk],
                                         reply_deadline=today + timedelta(days=7)).proposals.get()
    p_bergen = services.propose_households(actors["cw_ost"], municipality=ref["bergen"], household_ids=[to_bergen.pk],
                                           reply_deadline=today + timedelta(days=7)).proposals.get()
    return {"oslo": (to_oslo, p_oslo), "bergen": (to_bergen, p_bergen)}


def test_municipality_cannot_see_another_municipalitys_household_or_person(login, users, proposed):
    client = login(users["oslo"])
    own, _ = proposed["oslo"]
    other, other_proposal = proposed["bergen"]
    assert client.get(reverse("settlement:household", args=[own.pk])).status_code == 200
    assert client.get(reverse("settlement:household", args=[other.pk])).status_code == 404
    other_person = other.persons.get()
    assert client.get(reverse("settlement:person", args=[other_person.pk])).status_code == 404
    assert client.get(reverse("settlement:person", args=[own.persons.first().pk])).status_code == 302
    # By id: answering Bergen's proposal from Oslo's inbox is a 404 and changes nothing.
    response = client.post(reverse("settlement:inbox"), {"proposal": other_proposal.pk, "action": "accept"})
    assert response.status_code == 404
    other_proposal.refresh_from_db()
    assert other_proposal.status == ProposalStatus.PENDING
    # Nor can Oslo post an action on Bergen's household.
    response = client.post(reverse("settlement:household", args=[other.pk]), {"action": "accept"})
    assert response.status_code == 404
    inbox = client.get(reverse("settlement:inbox")).content.decode()
    assert "Oslofamilie" in inbox and "Bergenperson" not in inbox


def test_declined_household_disappears_from_municipality(login, users, actors, proposed):
    household, proposal = proposed["oslo"]
    services.decline_proposal(actors["oslo"], proposal, reason="housing")
    client = login(users["oslo"])
    assert client.get(reverse("settlement:household", args=[household.pk])).status_code == 404


def test_ministry_sees_aggregates_only(login, users, proposed):
    client = login(users["ministry"])
    household, _ = proposed["oslo"]
    assert client.get(reverse("settlement:household", args=[household.pk])).status_code == 403
    assert client.get(reverse("settlement:work_queue")).status_code == 403
    assert client.get(reverse("settlement:inbox")).status_code == 403
    response = client.get(reverse("settlement:overview"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Oslofamilie" not in body and "DUF" not in body
    assert "&lt;5" in body  # two households of three persons in all: small counts are suppressed
    assert client.get(reverse("home")).url == reverse("reporting:dashboard")


def test_caseworker_sees_only_own_region(login, users, proposed):
    household, _ = proposed["oslo"]  # Råde mottak: region Øst
    assert login(users["cw_vest"]).get(reverse("settlement:household", args=[household.pk])).status_code == 404
    assert login(users["cw_ost"]).get(reverse("settlement:household", args=[household.pk])).status_code == 200
    queue = login(users["cw_vest"]).get(reverse("settlement:work_queue")).content.decode()
    assert "Oslofamilie" not in queue


def test_read_only_municipality_user_cannot_accept(login, users, proposed):
    household, proposal = proposed["oslo"]
    client = login(users["oslo_read"])
    assert client.get(reverse("settlement:household", args=[household.pk])).status_code == 200
    response = client.post(reverse("settlement:inbox"), {"proposal": proposal.pk, "action": "accept"})
    assert response.status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_decision_form_rejects_negative_number_and_keeps_input(login, users, ref, today):
    client = login(users["oslo"])
    response = client.post(reverse("settlement:decision"), {
        "year": today.year, "places": -5, "unaccompanied_minors": 0, "decided_on": today.isoformat(),
        "housing_plan": "Plan for 20 nye boliger",
    })
    assert response.status_code == 400
    body = response.content.decode()
    assert "Antallet kan ikke være negativt." in body
    assert "Plan for 20 nye boliger" in body  # nothing the user typed is lost
    assert not MunicipalDecision.objects.exists()

    response = client.post(reverse("settlement:decision"), {
        "year": today.year, "places": 40, "unaccompanied_minors": 5, "decided_on": today.isoformat(), "housing_plan": "",
    })
    assert response.status_code == 302
    assert MunicipalDecision.objects.get().places == 40
    assert login(users["oslo_read"]).post(reverse("settlement:decision"), {"year": today.year, "places": 1}).status_code == 403


def test_accept_beyond_capacity_in_inbox_shows_error(login, users, ref, actors, proposed, decide):
    household, proposal = proposed["oslo"]  # two persons
    MunicipalDecision.objects.filter(municipality=ref["oslo"]).update(places=1)
    response = login(users["oslo"]).post(reverse("settlement:inbox"), {
        "proposal": proposal.pk, "action": "accept", f"a{proposal.pk}-comment": "Vi tar dem gjerne",
    })
    assert response.status_code == 400
    body = response.content.decode()
    assert "bare 1 ledige plasser" in body
    assert "Vi tar dem gjerne" in body
    household.refresh_from_db()
    assert household.status == HouseholdStatus.PROPOSED


def test_decline_without_reason_is_a_form_error(login, users, proposed):
    household, proposal = proposed["oslo"]
    response = login(users["oslo"]).post(reverse("settlement:inbox"), {
        "proposal": proposal.pk, "action": "decline", f"d{proposal.pk}-reason": "", f"d{proposal.pk}-comment": "Mangler bolig",
    })
    assert response.status_code == 400
    assert "Dette feltet er påkrevd." in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PENDING


def test_settlement_date_before_assignment_in_web_form(login, users, actors, ref, proposed, today):
    household, proposal = proposed["oslo"]
    services.accept_proposal(actors["oslo"], proposal)
    services.assign_household(actors["cw_ost"], household, assigned_on=today - timedelta(days=2))
    person = household.persons.first()
    client = login(users["oslo"])
    response = client.post(reverse("settlement:settlement_registration"), {
        "household": household.pk, f"h{household.pk}-person_{person.pk}": (today - timedelta(days=20)).isoformat(),
    })
    assert response.status_code == 400
    assert "kan ikke være før utsøkingsdatoen" in response.content.decode()
    assert not Person.objects.filter(settled_on__isnull=False).exists()

    dates = {f"h{household.pk}-person_{p.pk}": today.isoformat() for p in household.persons.all()}
    response = client.post(reverse("settlement:settlement_registration"), {"household": household.pk, **dates})
    assert response.status_code == 302
    household.refresh_from_db()
    assert household.status == HouseholdStatus.SETTLED


def test_distribution_list_builder_sends_and_reports_capacity_errors(login, users, ref, make_household, decide, today):
    decide(ref["baerum"], places=3)
    a, b = make_household(size=2), make_household(size=2)
    client = login(users["cw_ost"])
    page = client.get(reverse("settlement:distribution_list_new"), {"municipality_id": ref["baerum"].pk, "year": today.year})
    assert page.status_code == 200
    assert page.context["capacity"].available_to_propose == 3
    form = {"municipality": ref["baerum"].pk, "year": today.year, "reply_deadline": (today + timedelta(days=14)).isoformat(),
            "note": "Viktig: svar innen fristen", "households": [a.pk, b.pk]}
    response = client.post(reverse("settlement:distribution_list_new"), form)
    assert response.status_code == 400
    assert "bare 3 ledige plasser" in response.content.decode()
    assert "Viktig: svar innen fristen" in response.content.decode()
    form["households"] = [a.pk]
    response = client.post(reverse("settlement:distribution_list_new"), form)
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.municipality) == (HouseholdStatus.PROPOSED, ref["baerum"])


def test_pages_render_for_each_role(login, users, proposed):
    household, _ = proposed["oslo"]
    for name, urls in {
        "cw_ost": ["settlement:work_queue", "settlement:distribution_lists", "settlement:distribution_list_new",
                   "settlement:capacity", "settlement:requests", "settlement:request_new", "settlement:overview"],
        "admin": ["settlement:work_queue", "settlement:capacity", "settlement:overview"],
        "oslo": ["settlement:inbox", "settlement:decision", "settlement:settlement_registration", "settlement:requests",
                 "settlement:distribution_lists"],
        "ministry": ["settlement:overview"],
    }.items():
        client = login(users[name])
        for url in urls:
            assert client.get(reverse(url)).status_code == 200, (name, url)
    assert login(users["oslo"]).get(reverse("settlement:work_queue")).status_code == 403


def test_work_queue_csv_export(login, users, proposed):
    response = login(users["cw_ost"]).get(reverse("settlement:work_queue"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = response.content.decode("utf-8-sig").strip().splitlines()
    assert rows[0].startswith("Husstand;Hovedperson;DUF-nummer")
    assert len(rows) == 3


def _count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_stay_constant_as_data_grows(login, users, ref, actors, make_household, decide, today):
    decide(ref["oslo"], places=200)
    client = login(users["cw_ost"])
    pages = [(reverse("settlement:work_queue"), None), (reverse("settlement:capacity"), {"region": ""}),
             (reverse("settlement:distribution_list_new"), {"municipality_id": ref["oslo"].pk}),
             (reverse("settlement:distribution_lists"), None), (reverse("settlement:overview"), None)]
    oslo = Client()
    oslo.force_login(users["oslo"])

    def grow(n):
        households = [make_household(size=2) for _ in range(n)]
        services.propose_households(actors["cw_ost"], municipality=ref["oslo"], household_ids=[h.pk for h in households[: n // 2]],
                                    reply_deadline=today + timedelta(days=7))

    grow(4)
    before = [_count_queries(client, url, p) for url, p in pages]
    inbox_before = _count_queries(oslo, reverse("settlement:inbox"))
    grow(16)
    after = [_count_queries(client, url, p) for url, p in pages]
    inbox_after = _count_queries(oslo, reverse("settlement:inbox"))
    assert before == after
    assert inbox_before == inbox_after
    assert max(after) <= 12


def test_caseworker_registers_a_household_in_the_browser_form(login, users, ref, today):
    client = login(users["cw_ost"])
    assert client.get(reverse("settlement:household_new")).status_code == 200
    form = {"category": "reception", "reception_centre": ref["centre"].pk, "region": "", "settlement_ready_on": today.isoformat(),
            "special_needs": "Rullestol", "tied_municipality": "", "ties_note": "",
            "p-TOTAL_FORMS": "2", "p-INITIAL_FORMS": "0", "p-MIN_NUM_FORMS": "1", "p-MAX_NUM_FORMS": "12",
            "p-1-sex": "", "p-1-nationality": "", "p-1-duf_number": "",  # a spare row left empty, as the browser sends it
            "p-0-duf_number": "20261234", "p-0-first_name": "Selam", "p-0-last_name": "Woldu", "p-0-birth_date": "1991-02-03",
            "p-0-sex": "F", "p-0-nationality": "ERI", "p-0-residence_permit_date": (today - timedelta(days=40)).isoformat()}
    response = client.post(reverse("settlement:household_new"), form)
    assert response.status_code == 400
    assert "DUF-nummer har nøyaktig 12 siffer." in response.content.decode()
    assert "Woldu" in response.content.decode()  # the input is kept
    form["p-0-duf_number"] = "202612345678"
    response = client.post(reverse("settlement:household_new"), form)
    assert response.status_code == 302
    household = Person.objects.get(duf_number="202612345678").household
    assert (household.status, household.region, household.special_needs) == ("ready", ref["ost"], "Rullestol")
    again = client.post(reverse("settlement:household_new"), form)  # the same DUF again: no duplicate
    assert again.status_code == 302 and Person.objects.filter(duf_number="202612345678").count() == 1
    assert login(users["oslo"]).get(reverse("settlement:household_new")).status_code == 403
