"""The municipality's lists: inbox and settlement registration paged and searchable, the accepted households
waiting for assignment, an error summary at the top, and a decision history that includes the current decision."""

from datetime import timedelta

from django.urls import reverse

from core.testing import count_queries
from settlement import services
from settlement.models import MunicipalDecision


def test_inbox_is_searchable_and_paged(login, users, ref, make_household, decide):
    decide(ref["oslo"], places=200)
    target = make_household(size=2, last="Tesfamariam", proposed=True, municipality=ref["oslo"])
    for _ in range(30):
        make_household(size=1, proposed=True, municipality=ref["oslo"])
    client = login(users["oslo"])
    page = client.get(reverse("settlement:inbox"))
    assert page.context["table"].paginator.count == 31
    assert len(page.context["proposals"]) == 25  # a page, not 31 cards
    found = client.get(reverse("settlement:inbox"), {"q": "Tesfam"})
    assert [p.household_id for p in found.context["proposals"]] == [target.pk]
    assert f'id="proposal-{found.context["proposals"][0].pk}"' in found.content.decode()
    duf = target.persons.first().duf_number
    assert [p.household_id for p in client.get(reverse("settlement:inbox"), {"q": duf}).context["proposals"]] == [target.pk]


def test_accepted_households_wait_in_their_own_list(login, users, actors, ref, make_household, decide, propose):
    decide(ref["oslo"], places=20)
    household = make_household(size=3, last="Akseptertsen")
    proposal = propose(household, ref["oslo"])
    client = login(users["oslo"])
    response = client.post(reverse("settlement:inbox"), {"proposal": proposal.pk, "action": "accept"})
    assert response.status_code == 302
    page = client.get(reverse("settlement:inbox"))
    assert page.context["table"].paginator.count == 0
    assert [row.record.pk for row in page.context["accepted"].page.object_list] == [household.pk]
    html = page.content.decode()
    assert "Akseptert – venter på utsøking (1)" in html and "Akseptertsen" in html
    services.assign_household(actors["cw_ost"], household, assigned_on=page.context["today"])
    page = client.get(reverse("settlement:inbox"))
    assert page.context["accepted"].paginator.count == 0


def test_inbox_queries_stay_flat_with_accepted_households(login, users, ref, make_household, decide):
    decide(ref["oslo"], places=500)
    client = login(users["oslo"])

    def queries():
        with count_queries() as q:
            assert client.get(reverse("settlement:inbox")).status_code == 200
        return len(q)

    make_household(size=2, proposed=True, municipality=ref["oslo"])
    make_household(size=2, accepted=True, municipality=ref["oslo"])
    before = queries()
    for _ in range(6):
        make_household(size=2, proposed=True, municipality=ref["oslo"])
        make_household(size=2, accepted=True, municipality=ref["oslo"])
    assert queries() == before


def test_settlement_registration_is_paged_searchable_and_summarises_errors(login, users, ref, make_household, today):
    assigned_on = today - timedelta(days=2)
    households = [make_household(size=1, assigned=True, municipality=ref["oslo"], assigned_on=assigned_on) for _ in range(27)]
    target = make_household(size=2, last="Finnmeg", assigned=True, municipality=ref["oslo"], assigned_on=assigned_on)
    client = login(users["oslo"])
    page = client.get(reverse("settlement:settlement_registration"))
    assert page.context["table"].paginator.count == 28 and len(page.context["households"]) == 25
    found = client.get(reverse("settlement:settlement_registration"), {"q": "Finnmeg"})
    assert [h.pk for h in found.context["households"]] == [target.pk]

    person = target.persons.first()
    field = f"h{target.pk}-person_{person.pk}"
    response = client.post(reverse("settlement:settlement_registration"), {
        "household": target.pk, field: (today - timedelta(days=10)).isoformat()})
    assert response.status_code == 400
    assert [h.pk for h in response.context["households"]] == [target.pk]  # the household with the error is shown
    html = response.content.decode()
    assert html.index('id="feilsammendrag"') < html.index(f'id="settle-{target.pk}"')
    assert f'<a href="#id_{field}">' in html
    assert len(households) == 27


def test_decision_history_includes_the_current_decision(login, users, ref, decide, today):
    decide(ref["oslo"], places=95)
    # A decision written without a history row (as bulk loading does) was missing from the history.
    MunicipalDecision.objects.filter(municipality=ref["oslo"]).update(places=103)
    page = login(users["oslo"]).get(reverse("settlement:decision"))
    rows = list(page.context["history"].data)
    assert (rows[0].year, rows[0].places, rows[0].history_type) == (today.year, 103, "=")
    assert [r.places for r in rows] == [103, 95]
    assert "Gjeldende vedtak" in page.content.decode()


def test_decision_history_without_a_gap_shows_each_change_once(login, users, ref, decide):
    decide(ref["oslo"], places=95)
    decide(ref["oslo"], places=103)
    rows = list(login(users["oslo"]).get(reverse("settlement:decision")).context["history"].data)
    assert [(r.places, r.history_type) for r in rows] == [(103, "~"), (95, "+")]


def test_settlement_registration_queries_stay_constant_as_households_grow(login, users, ref, make_household, today):
    """Issue 14: the registration page is paged (25 a page) and its statements do not grow with the households."""
    assigned_on = today - timedelta(days=2)
    client = login(users["oslo"])

    def queries():
        with count_queries() as q:
            response = client.get(reverse("settlement:settlement_registration"))
        assert response.status_code == 200
        return len(q), len(response.context["households"])

    for _ in range(2):
        make_household(size=2, assigned=True, municipality=ref["oslo"], assigned_on=assigned_on)
    before, shown = queries()
    assert shown == 2
    for _ in range(28):
        make_household(size=3, assigned=True, municipality=ref["oslo"], assigned_on=assigned_on)
    assert queries() == (before, 25)
