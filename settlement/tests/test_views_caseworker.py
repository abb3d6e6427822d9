"""IMDi's pages: the work queue, distribution lists, household registration, and constant query counts."""

from datetime import timedelta

from django.urls import reverse

from core.testing import count_queries
from settlement import services
from settlement.models import HouseholdStatus, Person


def test_caseworker_sees_only_own_region(login, users, proposed):
    household, _ = proposed["oslo"]  # Råde mottak: region Øst
    assert login(users["cw_vest"]).get(reverse("settlement:household", args=[household.pk])).status_code == 404
    assert login(users["cw_ost"]).get(reverse("settlement:household", args=[household.pk])).status_code == 200
    queue = login(users["cw_vest"]).get(reverse("settlement:work_queue")).content.decode()
    assert "Oslofamilie" not in queue


def test_caseworker_pages_render(login, users, proposed):
    for name, urls in {
        "cw_ost": ["settlement:work_queue", "settlement:distribution_lists", "settlement:distribution_list_new",
                   "settlement:capacity", "settlement:requests", "settlement:request_new", "settlement:overview"],
        "admin": ["settlement:work_queue", "settlement:capacity", "settlement:overview"],
    }.items():
        client = login(users[name])
        for url in urls:
            assert client.get(reverse(url)).status_code == 200, (name, url)
    assert login(users["oslo"]).get(reverse("settlement:work_queue")).status_code == 403


def test_distribution_list_builder_sends_and_reports_capacity_errors(login, users, ref, make_household, decide, today):
    decide(ref["baerum"], places=3)
    a, b = make_household(size=2), make_household(size=2)
    client = login(users["cw_ost"])
    page = client.get(reverse("settlement:distribution_list_new"), {"municipality_id": ref["baerum"].pk, "year": today.year})
    assert page.context["capacity"].available_to_propose == 3
    form = {"municipality": ref["baerum"].pk, "year": today.year, "reply_deadline": (today + timedelta(days=14)).isoformat(),
            "note": "Viktig: svar innen fristen", "households": [a.pk, b.pk]}
    response = client.post(reverse("settlement:distribution_list_new"), form)
    assert response.status_code == 400
    assert response.context["form"].has_error("households", "over_capacity")
    assert "Viktig: svar innen fristen" in response.content.decode()  # nothing the user typed is lost
    form["households"] = [a.pk]
    response = client.post(reverse("settlement:distribution_list_new"), form)
    assert response.status_code == 302
    a.refresh_from_db()
    assert (a.status, a.municipality) == (HouseholdStatus.PROPOSED, ref["baerum"])


def test_work_queue_csv_export(login, users, proposed):
    response = login(users["cw_ost"]).get(reverse("settlement:work_queue"), {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = response.content.decode("utf-8-sig").strip().splitlines()
    assert rows[0].startswith("Husstand;Hovedperson;DUF-nummer")
    assert len(rows) == 3


def _queries(client, url, params=None):
    with count_queries() as q:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(q)


def test_query_counts_stay_constant_as_data_grows(login, users, ref, actors, make_household, decide, today):
    decide(ref["oslo"], places=200)
    client = login(users["cw_ost"])
    pages = [(reverse("settlement:work_queue"), None), (reverse("settlement:capacity"), {"region": ""}),
             (reverse("settlement:distribution_list_new"), {"municipality_id": ref["oslo"].pk}),
             (reverse("settlement:distribution_lists"), None), (reverse("settlement:overview"), None)]

    def grow(n):
        households = [make_household(size=2) for _ in range(n)]
        services.propose_households(actors["cw_ost"], municipality=ref["oslo"], household_ids=[h.pk for h in households[: n // 2]],
                                    reply_deadline=today + timedelta(days=7))

    grow(4)
    before = [_queries(client, url, p) for url, p in pages]
    grow(16)
    after = [_queries(client, url, p) for url, p in pages]
    assert before == after
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
    assert response.context["persons"].forms[0].has_error("duf_number", "invalid")
    assert "Woldu" in response.content.decode()  # the input is kept
    form["p-0-duf_number"] = "202612345678"
    response = client.post(reverse("settlement:household_new"), form)
    assert response.status_code == 302
    household = Person.objects.get(duf_number="202612345678").household
    assert (household.status, household.region, household.special_needs) == ("ready", ref["ost"], "Rullestol")
    again = client.post(reverse("settlement:household_new"), form)  # the same DUF again: no duplicate
    assert again.status_code == 302 and Person.objects.filter(duf_number="202612345678").count() == 1
    assert login(users["oslo"]).get(reverse("settlement:household_new")).status_code == 403


def test_list_builder_queries_stay_constant_with_households_tied_to_many_municipalities(login, users, ref, make_household,
                                                                                        decide, today):
    """Issue 14: the list builder was 24 queries at demo scale 1 and 34 at 5, a lookup per tied municipality; the tie
    is joined (select_related)."""
    from core.models import Municipality

    decide(ref["oslo"], places=200)
    client = login(users["cw_ost"])
    url, params = reverse("settlement:distribution_list_new"), {"municipality_id": ref["oslo"].pk}
    municipalities = list(Municipality.objects.order_by("number")[:12])
    for m in municipalities[:2]:
        make_household(size=2, tied_municipality=m)
    before = _queries(client, url, params)
    for m in municipalities[2:]:
        make_household(size=1, tied_municipality=m)
    page = client.get(url, params)
    assert {h.tied_municipality_id for h in page.context["households"]} >= {m.pk for m in municipalities}
    assert _queries(client, url, params) == before
