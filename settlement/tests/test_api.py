"""REST API: scoped tokens for every role, UDI's idempotent registration, filters, and query counts."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from core.api.auth import issue_token
from core.models import Agency, ApiToken, Role
from core.testing import off_site_assets
from settlement import services
from settlement.models import Household, Person
from settlement.tests.factories import next_duf


@pytest.fixture
def agency_user(make_user):
    def make(code):
        return make_user(Role.AGENCY, f"{code}-client", agency=Agency.objects.get(code=code))

    return make


def client_with(user, scopes=None):
    client = APIClient()
    if scopes is None:
        client.force_authenticate(user)  # a browser session: the role's own scopes
    else:
        _, key = issue_token(user, "test", scopes)
        client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def udi_payload(today, dufs=None, category="reception", centre=None):
    dufs = dufs or [next_duf(), next_duf()]
    return {
        "category": category, "reception_centre": centre,
        "persons": [{"duf_number": d, "first_name": "Amina", "last_name": "Ali", "birth_date": "1990-04-01", "sex": "F",
                     "nationality": "SOM", "residence_permit_date": (today - timedelta(days=20)).isoformat()} for d in dufs],
    }


@pytest.fixture
def data(ref, actors, make_household, decide, today):
    decide(ref["oslo"], places=20)
    minor = services.register_household(actors["admin"], category="unaccompanied_minor", reception_centre=ref["minors_centre"],
                                        persons=[{"duf_number": next_duf(), "first_name": "Ali", "last_name": "Ahmadi",
                                                  "birth_date": today - timedelta(days=16 * 365), "sex": "M", "nationality": "AFG",
                                                  "residence_permit_date": today - timedelta(days=30)}])
    adult = make_household(size=2)
    services.propose_households(actors["cw_ost"], municipality=ref["oslo"], household_ids=[adult.pk],
                                reply_deadline=today + timedelta(days=7))
    return {"minor": minor, "adult": adult}


def test_udi_registers_settlement_ready_household_idempotently(ref, agency_user, today):
    udi = client_with(agency_user("udi"), ["persons:write", "persons:read"])
    payload = udi_payload(today, centre=ref["centre"].pk)
    first = udi.post("/api/v1/settlement-ready/", payload, format="json")
    assert first.status_code == 201, first.content
    again = udi.post("/api/v1/settlement-ready/", payload, format="json")
    assert again.status_code == 200
    assert again.json()["id"] == first.json()["id"]
    assert Household.objects.count() == 1 and Person.objects.count() == 2
    household = Household.objects.get()
    assert (household.status, household.region, household.registered_by_agency.code) == ("ready", ref["ost"], "udi")
    assert household.history.first().history_user.username == "udi-client"
    # Part of a known household with a new person: refused, nothing written.
    mixed = udi_payload(today, dufs=[payload["persons"][0]["duf_number"], next_duf()], centre=ref["centre"].pk)
    response = udi.post("/api/v1/settlement-ready/", mixed, format="json")
    assert response.status_code == 400 and "persons" in response.json()
    assert Person.objects.count() == 2
    # UDI reads back what it registered, and nothing else.
    assert [h["id"] for h in udi.get("/api/v1/households/").json()["results"]] == [household.pk]


def test_bad_input_gets_field_messages(ref, agency_user, today):
    udi = client_with(agency_user("udi"), ["persons:write"])
    bad = udi_payload(today, dufs=["12345"], centre=ref["centre"].pk)
    bad["persons"][0]["birth_date"] = "not a date"
    response = udi.post("/api/v1/settlement-ready/", bad, format="json")
    assert response.status_code == 400
    errors = response.json()["persons"]["0"]  # the first person's field errors
    assert "duf_number" in errors and "birth_date" in errors
    # The reception centre is required (the region comes from it), whatever the category.
    no_centre = udi.post("/api/v1/settlement-ready/", udi_payload(today, category="resettlement"), format="json")
    assert no_centre.status_code == 400 and no_centre.json()["reception_centre"][0]["code"] == "null"
    assert udi.post("/api/v1/settlement-ready/", {"persons": []}, format="json").status_code == 400
    assert not Household.objects.exists()


def test_scopes_for_every_role(data, users, agency_user, ref, today):
    minor, adult = data["minor"], data["adult"]

    def ids(client, url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return {r["id"] for r in response.json()["results"]}

    # IMDi national admin and regional caseworkers: the role's scope.
    assert ids(client_with(users["admin"]), "/api/v1/households/") == {minor.pk, adult.pk}
    assert ids(client_with(users["cw_ost"]), "/api/v1/households/") == {adult.pk}
    assert ids(client_with(users["cw_nord"]), "/api/v1/households/") == {minor.pk}
    # A municipality sees what is proposed to it, nothing else.
    assert ids(client_with(users["oslo"]), "/api/v1/households/") == {adult.pk}
    assert ids(client_with(users["bergen"]), "/api/v1/households/") == set()
    assert client_with(users["bergen"]).get(f"/api/v1/households/{adult.pk}/").status_code == 404
    # The ministry reads aggregates only.
    ministry = client_with(users["ministry"])
    assert ministry.get("/api/v1/households/").status_code == 403
    assert ministry.get("/api/v1/persons/").status_code == 403
    aggregates = ministry.get("/api/v1/aggregates/").json()
    assert {r["region"]: r["ready"] for r in aggregates["regions"]}["Nord"] == "<5"  # one person, suppressed
    admin_view = client_with(users["admin"]).get("/api/v1/aggregates/").json()
    assert {r["region"]: r["ready"] for r in admin_view["regions"]}["Nord"] == 1
    assert "Ahmadi" not in str(aggregates)
    # Bufetat reads unaccompanied minors only; UDI without persons:read reads nothing it did not register.
    bufetat = client_with(agency_user("bufetat"), ["minors:read"])
    assert ids(bufetat, "/api/v1/households/") == {minor.pk}
    assert {p["household"] for p in bufetat.get("/api/v1/persons/").json()["results"]} == {minor.pk}
    assert bufetat.get("/api/v1/aggregates/").status_code == 403
    assert bufetat.post("/api/v1/settlement-ready/", udi_payload(today, centre=ref["centre"].pk), format="json").status_code == 403
    assert ids(client_with(agency_user("udi"), ["persons:write"]), "/api/v1/households/") == set()
    # A token narrows its user's role: an admin's token with only aggregates cannot read cases.
    admin_token = client_with(users["admin"], ["aggregates:read"])
    assert admin_token.get("/api/v1/households/").status_code == 403
    assert admin_token.get("/api/v1/aggregates/").status_code == 200
    # Anonymous, revoked and expired tokens are refused.
    assert APIClient().get("/api/v1/households/").status_code in (401, 403)
    revoked = APIClient()
    token, key = issue_token(users["admin"], "old", ["settlement:read"])
    ApiToken.objects.filter(pk=token.pk).update(revoked=True)
    revoked.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert revoked.get("/api/v1/households/").status_code == 401


def test_other_endpoints_filter_and_order(data, users, ref):
    admin = client_with(users["admin"])
    assert admin.get("/api/v1/municipalities/", {"number": "0301"}).json()["results"][0]["name"] == "Oslo"
    decisions = admin.get("/api/v1/decisions/", {"municipality": ref["oslo"].pk}).json()["results"]
    assert [d["places"] for d in decisions] == [20]
    proposals = admin.get("/api/v1/proposals/", {"status": "pending"}).json()["results"]
    assert [p["household"] for p in proposals] == [data["adult"].pk]
    ordered = admin.get("/api/v1/households/", {"ordering": "-size"}).json()["results"]
    assert [h["size"] for h in ordered] == [2, 1]
    assert admin.get("/api/v1/households/", {"status": "proposed"}).json()["count"] == 1
    assert client_with(users["oslo"]).get("/api/v1/report-snapshots/").status_code == 403
    assert client_with(users["ministry"]).get("/api/v1/report-snapshots/").status_code == 200


def test_list_query_counts_stay_constant(ref, users, make_household):
    admin = client_with(users["admin"])
    urls = ["/api/v1/households/", "/api/v1/persons/", "/api/v1/settlements/", "/api/v1/proposals/", "/api/v1/municipalities/",
            "/api/v1/decisions/", "/api/v1/requests/", "/api/v1/grant-claims/", "/api/v1/agreements/", "/api/v1/report-snapshots/"]

    def counts():
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert admin.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    for _ in range(3):
        make_household(size=2)
    before = counts()
    for _ in range(15):
        make_household(size=3)
    assert counts() == before


def test_schema_and_swagger_ui_need_a_signed_in_user_or_a_token(client, users):
    # Issue 9: the schema lists every operation and field; an anonymous caller gets 401 for both.
    assert client.get("/api/v1/schema/").status_code == 401
    assert client.get("/api/v1/docs/").status_code == 401
    _, key = issue_token(users["admin"], "docs", ["settlement:read"])
    assert APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/schema/?format=json").status_code == 200
    client.force_login(users["oslo_read"])
    assert client.get("/api/v1/schema/?format=json").status_code == 200


def test_swagger_ui_works_offline(client, users):
    client.force_login(users["cw_ost"])
    page = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in page and off_site_assets(page) == []
    schema = client.get("/api/v1/schema/?format=json").json()
    assert "/api/v1/settlement-ready/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["in"] == "header"
