"""GET fuzz (issue 9): every page and every API list, with hostile values for every query parameter it reads,
as a national admin and as a municipality user, answers without a 5xx (400, a form error, 404 or a redirect).

The pages come from the URL configuration, so a new page is fuzzed without being listed here. The parameters
a page reads are found in its view's source (request.GET / year_param / its FilterSet / the API's filterset
fields). Path ids are those of real objects, and an unknown one. Values: "²" (isdigit() accepts it, int() refuses
it), 0, -1, 99999, text, 10,000 digits (past every integer column), a date in year 9999.
"""

import inspect
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import AgreementType
from grants.models import GrantApplication, GrantClaim, GrantYear, PaymentBatch, SchemeKind
from grants.reference import load_grant_schemes
from reporting import services as reporting_services
from reporting.models import ReportKind
from settlement import services

HOSTILE = ["²", "0", "99999", "-1", "abc", "9" * 10_000, "9999-12-31"]
APPS = ("core", "settlement", "grants", "agreements", "reporting", "imdi")
GET_PATTERNS = [
    r"GET(?:\.get|\.getlist)?\(\s*[\"'](\w+)",
    r"GET\[\s*[\"'](\w+)",
    r"[\"'](\w+)[\"']\s+(?:not\s+)?in\s+(?:request\.)?GET",
    r"query_params(?:\.get)?\(\s*[\"'](\w+)",
    r"\bdata\.get\(\s*[\"'](\w+)",  # helpers that take request.GET as `data`
]
# Pages that do something other than show a page for a GET (the login form, logout) or are not ours.
SKIP = {"login", "logout", "favicon", "schema", "docs", "api-root"}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _view_class(callback):
    return getattr(callback, "view_class", None) or getattr(callback, "cls", None)


def params_read_by(callback) -> set[str]:
    cls = _view_class(callback)
    found = set()
    if cls is None:
        return found
    for klass in cls.__mro__:
        if not klass.__module__.startswith(APPS):
            continue
        source = inspect.getsource(klass)
        for pattern in GET_PATTERNS:
            found.update(re.findall(pattern, source))
        for line in source.splitlines():  # e.g. `for k in ("year", "quarter") if request.GET.get(k)`
            if "GET" in line or "query_params" in line:
                found.update(re.findall(r"[\"'](\w+)[\"']", line))
        if "year_param" in source:
            found.add("year")
        module = inspect.getmodule(klass)
        for name in re.findall(r"(\w+Filter(?:Set)?)\(", source):
            filterset = getattr(module, name, None)
            if filterset is not None:
                found.update(filterset.base_filters)
        filterset_class = getattr(klass, "filterset_class", None)
        if filterset_class is not None:
            found.update(filterset_class.base_filters)
        fields = getattr(klass, "filterset_fields", None) or {}
        for field, lookups in (fields.items() if isinstance(fields, dict) else ((f, ["exact"]) for f in fields)):
            found.update(field if lookup == "exact" else f"{field}__{lookup}" for lookup in lookups)
    return found


@pytest.fixture
def world(ref, users, actors, make_household, decide, today):
    """One of each object a page shows, in the states the pages care about."""
    decide(ref["oslo"], places=20, minors=2)
    ready = make_household(size=2, last="Klar")
    proposed = make_household(size=1, last="Foreslatt")
    dlist = services.propose_households(actors["admin"], municipality=ref["oslo"], household_ids=[proposed.pk],
                                        reply_deadline=today + timedelta(days=14))
    request = services.create_settlement_request(
        actors["admin"], municipality=ref["oslo"], sent_on=today, reply_deadline=today + timedelta(days=30),
        years={today.year + 1: (10, 2)})
    agreement = agreement_services.create_agreement(
        actors["admin"], title="Avtale", agreement_type=AgreementType.PARTNERSHIP, region=ref["ost"],
        start_date=date(today.year - 1, 1, 1), end_date=date(today.year + 1, 12, 31), purpose="Bosetting",
        municipalities=[ref["oslo"]], goals=["Mål"])
    agreement_services.add_action_item(actors["admin"], agreement, title="Tiltak", owner="Oslo", due_date=today)
    load_grant_schemes(years=[today.year])
    batch = PaymentBatch.objects.create(year=today.year, quarter=1, total=Decimal("0"), file_content="")
    claim = GrantClaim.objects.create(municipality=ref["oslo"], year=today.year, quarter=1)
    grant_year = GrantYear.objects.filter(scheme__kind=SchemeKind.APPLICATION, year=today.year).first()
    application = GrantApplication.objects.create(
        grant_year=grant_year, municipality=ref["oslo"], applicant_name="Oslo kommune", title="Prosjekt",
        description="Beskrivelse", amount_requested=Decimal("1000"))
    month = today - timedelta(days=today.day)  # last month, finished
    snapshot = reporting_services.request_snapshot(actors["admin"], kind=ReportKind.MONTHLY, year=month.year, month=month.month)
    return {
        "household": ready.pk, "person": ready.persons.first().pk, "distribution_list": dlist.pk,
        "request_adjust": request.pk, "detail": agreement.pk, "claim": claim.pk, "claim_letter": claim.pk,
        "batch": batch.pk, "application": application.pk, "snapshot": snapshot.pk, "snapshot_status": snapshot.pk,
        "snapshot_export": snapshot.pk,
    }


def pages(world):
    """(url, params) for every page and API list, with a real id (and an unknown one) for a path id."""
    for route, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("admin/") or pattern.name in SKIP or "format>" in route:  # format suffixes: the plain route covers the view
            continue
        params = params_read_by(pattern.callback)
        route = route.lstrip("^").rstrip("$")
        if "(?P<pk>" in route:  # API detail: the list covers the parameters, the detail the ids
            base = route.split("(?P<pk>")[0]
            yield f"/{base}99999/", set()
            yield f"/{base}abc/", set()
            continue
        if "<int:pk>" in route:
            key = pattern.name
            if key not in world:
                continue
            for pk in (world[key], 99999):
                url = "/" + route.replace("<int:pk>", str(pk)).replace("<str:fmt>", "csv")
                yield url, params
            continue
        yield "/" + route, params


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "oslo"])
def test_no_page_or_api_list_answers_5xx_to_hostile_query_values(client, users, world, who, settings):
    settings.DEBUG_PROPAGATE_EXCEPTIONS = False
    client.raise_request_exception = False
    client.force_login(users[who])
    failures = []
    seen = 0
    for url, params in pages(world):
        for name in sorted(params):
            for value in HOSTILE:
                seen += 1
                response = client.get(url, {name: value})
                if response.status_code >= 500:
                    failures.append(f"{url}?{name}={value[:20]} -> {response.status_code}")
    assert seen > 300
    assert failures == [], "\n".join(failures)


@pytest.mark.django_db
def test_params_are_found_in_the_views():
    """The discovery above finds what the views read (so the fuzz is not trivially green)."""
    found = {route: params_read_by(p.callback) for route, p in _walk(get_resolver().url_patterns)}
    assert {"status", "q", "waiting", "format"} <= found["bosetting/"]
    assert "type" in found["avtaler/"]
    assert {"status", "settlement_year"} <= found["api/v1/^households/$"]


@pytest.mark.django_db
def test_unknown_municipality_posted_to_matching_is_a_form_error(client, users, world, today):
    client.raise_request_exception = False
    client.force_login(users["admin"])
    response = client.post("/bosetting/utsoking/", {
        "year": today.year, f"m_{world['household']}": "99999", "reply_deadline": (today + timedelta(days=14)).isoformat()})
    assert response.status_code == 400
    response = client.post("/bosetting/utsoking/", {
        "year": "²", f"m_{world['household']}": "²", "reply_deadline": "9999-99-99"})
    assert response.status_code == 400


@pytest.mark.django_db
def test_non_numeric_action_item_is_a_client_error(client, users, world):
    client.raise_request_exception = False
    client.force_login(users["admin"])
    for item in ("abc", "²", "9" * 30):
        response = client.post(f"/avtaler/{world['detail']}/", {"action": "complete", "item": item})
        assert response.status_code in (400, 404), item


@pytest.mark.django_db
def test_year_zero_on_comparison_is_400(client, users, world):
    client.raise_request_exception = False
    client.force_login(users["admin"])
    assert client.get("/avtaler/bosetting/", {"year": "0"}).status_code == 400
    assert client.get("/avtaler/bosetting/", {"year": "²"}).status_code == 400
    assert client.get("/avtaler/bosetting/").status_code == 200
    assert client.get("/avtaler/bosetting/", {"year": str(timezone.localdate().year)}).status_code == 200
