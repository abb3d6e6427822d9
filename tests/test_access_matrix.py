"""Role × endpoint matrix (issue 9): every URL of the URL configuration, web and API, for every role, with
the status each role gets. The table below is the access policy as a person reads it; a URL the table does
not know fails the test ("new page without a policy").

Objects with ids belong to Oslo (region Øst): the caseworker of Øst and Oslo's users are in scope, the
caseworker of Vest and Bergen's user are out of scope (404, as if the object did not exist). Agency columns
use API tokens (UDI: persons:write+persons:read, Bufetat: minors:read, NAV: grants:read+agreements:read+
settlement:read, Husbanken: aggregates:read+reports:read); on web pages they are the agency user's session.
The household was registered by UDI and is not an unaccompanied minor, the agreement has NAV as a party.

POST is sent with a valid CSRF token and no form data: roles that may not act get 403/404; those that may
get 400 (form errors) or 302. Every request runs in a transaction that is rolled back, so nothing sticks.

Print the table as it is now: MATRIX_PRINT=1 pytest tests/test_access_matrix.py -s
"""

import os
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import AgreementType
from core.api.auth import issue_token
from core.models import Agency, ApiScope, Municipality, ReceptionCentre, Region, Role, UserProfile
from core.roles import Actor, actor_for
from core.services import load_reference_data
from grants.models import ClaimDispute, GrantApplication, GrantClaim, GrantClaimLine, GrantScheme, GrantYear, PaymentBatch
from grants.reference import load_grant_schemes
from reporting.models import ReportKind, ReportSnapshot
from settlement import services as settlement_services
from settlement.tests.factories import HouseholdFactory

ROLES = ("anon", "cw", "cw_other", "admin", "muni_ro", "muni_rw", "muni_other", "ministry",
         "udi", "bufetat", "nav", "husbanken")
AGENCY_TOKENS = {
    "udi": ("udi", [ApiScope.PERSONS_WRITE, ApiScope.PERSONS_READ]),
    "bufetat": ("bufetat", [ApiScope.MINORS_READ]),
    "nav": ("nav", [ApiScope.GRANTS_READ, ApiScope.AGREEMENTS_READ, ApiScope.SETTLEMENT_READ]),
    "husbanken": ("husbanken", [ApiScope.AGGREGATES_READ, ApiScope.REPORTS_READ]),
}

# Not part of the matrix: Django admin (guards itself with is_staff), login/logout and the favicon (public).
EXCLUDED_NAMESPACES = {"admin"}
PUBLIC = {"login": 200, "logout": 405, "favicon": 302}

# url name -> GET statuses in ROLES order (cw_o, m_ot: the other region's caseworker, the other municipality).
GET = {
    #                                     anon cw  cw_o adm m_ro m_rw m_ot min udi buf nav hus
    "agreements:comparison":              "302 200 200 200 403 403 403 200 403 403 403 403",
    "agreements:detail":                  "302 200 404 200 200 200 404 200 403 403 403 403",
    "agreements:follow_up":               "302 200 200 200 403 403 403 200 403 403 403 403",
    "agreements:list":                    "302 200 200 200 200 200 200 200 403 403 403 403",
    "agreements:templates":               "302 200 200 200 403 403 403 403 403 403 403 403",
    "agreements:without_agreement":       "302 200 200 200 403 403 403 403 403 403 403 403",
    "api:aggregates":                     "401 200 200 200 403 403 403 200 403 403 403 200",
    "api:agreement-detail":               "401 200 404 200 200 200 404 403 403 403 200 403",
    "api:agreement-list":                 "401 200 200 200 200 200 200 403 403 403 200 403",
    "api:api-root":                       "401 200 200 200 200 200 200 200 200 200 200 200",
    "api:decision-detail":                "401 200 404 200 200 200 404 200 403 403 200 200",
    "api:decision-list":                  "401 200 200 200 200 200 200 200 403 403 200 200",
    "api:docs":                           "401 200 200 200 200 200 200 200 200 200 200 200",
    "api:grant-claim-detail":             "401 200 404 200 200 200 404 403 403 403 403 403",
    "api:grant-claim-list":               "401 200 200 200 200 200 200 403 403 403 403 403",
    "api:household-detail":               "401 200 404 200 200 200 404 403 200 404 404 403",
    "api:household-list":                 "401 200 200 200 200 200 200 403 200 200 200 403",
    "api:municipality-detail":            "401 200 200 200 200 200 200 200 200 200 200 200",
    "api:municipality-list":              "401 200 200 200 200 200 200 200 200 200 200 200",
    "api:person-detail":                  "401 200 404 200 200 200 404 403 200 404 404 403",
    "api:person-list":                    "401 200 200 200 200 200 200 403 200 200 200 403",
    "api:proposal-detail":                "401 200 404 200 200 200 404 403 403 403 403 403",
    "api:proposal-list":                  "401 200 200 200 200 200 200 403 403 403 403 403",
    "api:report-snapshot-detail":         "401 404 404 404 403 403 403 404 403 403 403 404",
    "api:report-snapshot-list":           "401 200 200 200 403 403 403 200 403 403 403 200",
    "api:request-detail":                 "401 200 404 200 200 200 404 403 403 403 403 403",
    "api:request-list":                   "401 200 200 200 200 200 200 403 403 403 403 403",
    "api:schema":                         "401 200 200 200 200 200 200 200 200 200 200 200",
    "api:settlement-list":                "401 200 200 200 200 200 200 403 200 200 200 403",
    "api:settlement-ready-list":          "401 403 403 403 403 403 403 403 403 403 403 403",
    "grants:application":                 "302 200 404 200 200 200 404 403 403 403 403 403",
    "grants:applications":                "302 200 200 200 200 200 200 403 403 403 403 403",
    "grants:batch":                       "302 403 403 200 403 403 403 403 403 403 403 403",
    "grants:claim":                       "302 200 404 200 200 200 404 403 403 403 403 403",
    "grants:claim_letter":                "302 302 404 302 302 302 404 403 403 403 403 403",
    "grants:dispute":                     "302 200 404 200 200 200 404 403 403 403 403 403",
    "grants:dispute_new":                 "302 403 403 403 403 200 404 403 403 403 403 403",
    "grants:disputes":                    "302 200 200 200 200 200 200 403 403 403 403 403",
    "grants:overdue_reports":             "302 200 200 200 403 403 403 403 403 403 403 403",
    "grants:participation":               "302 200 404 200 200 200 404 403 403 403 403 403",
    "grants:self_settled":                "302 200 200 200 403 403 403 403 403 403 403 403",
    "grants:claims":                      "302 200 200 200 200 200 200 403 403 403 403 403",
    "grants:schemes":                     "302 200 200 200 200 200 200 200 403 403 403 403",
    "home":                               "302 302 302 302 302 302 302 302 403 302 403 403",
    "reporting:dashboard":                "302 200 200 200 403 403 403 200 403 403 403 403",
    "reporting:goals":                    "302 200 200 200 403 403 403 200 403 403 403 403",
    "reporting:indicator_values":         "302 403 403 200 403 403 403 403 403 403 403 403",
    "reporting:snapshot":                 "302 200 200 200 403 403 403 200 403 403 403 403",
    "reporting:snapshot_export":          "302 404 404 404 403 403 403 404 403 403 403 403",
    "reporting:snapshot_status":          "302 200 200 200 403 403 403 200 403 403 403 403",
    "reporting:snapshots":                "302 200 200 200 403 403 403 200 403 403 403 403",
    "settlement:capacity":                "302 200 200 200 403 403 403 403 403 403 403 403",
    "settlement:contact":                 "302 200 404 200 403 403 403 403 403 403 403 403",
    "settlement:contacts":                "302 200 200 200 403 403 403 403 403 403 403 403",
    "settlement:decision":                "302 403 403 403 200 200 200 403 403 403 403 403",
    "settlement:decision_register":       "302 200 200 200 403 403 403 403 403 403 403 403",
    "settlement:distribution_list":       "302 200 404 200 200 200 404 403 403 403 403 403",
    "settlement:distribution_list_new":   "302 200 200 200 403 403 403 403 403 403 403 403",
    "settlement:distribution_lists":      "302 200 200 200 200 200 200 403 403 403 403 403",
    "settlement:household":               "302 200 404 200 200 200 404 403 403 403 403 403",
    "settlement:household_new":           "302 200 200 200 403 403 403 403 403 403 403 403",
    "settlement:inbox":                   "302 403 403 403 200 200 200 403 403 403 403 403",
    "settlement:interview":               "302 403 403 403 403 403 403 403 403 403 403 403",
    "settlement:interview_waiver":        "302 200 404 200 403 403 403 403 403 403 403 403",
    "settlement:matching":                "302 200 200 200 403 403 403 403 403 403 403 403",
    "settlement:minor_refunds":           "302 200 200 200 403 403 403 403 403 200 403 403",
    "settlement:minors":                  "302 200 200 200 403 403 403 403 403 200 403 403",
    "settlement:overview":                "302 200 200 200 403 403 403 200 403 403 403 403",
    "settlement:person":                  "302 302 404 302 302 302 404 403 403 403 403 403",
    "settlement:reception":               "302 403 403 403 403 403 403 403 403 403 403 403",
    "settlement:request_adjust":          "302 200 404 200 403 403 403 403 403 403 403 403",
    "settlement:request_letter":          "302 200 404 200 200 200 404 403 403 403 403 403",
    "settlement:request_new":             "302 200 200 200 403 403 403 403 403 403 403 403",
    "settlement:request_plan":            "302 200 200 200 403 403 403 403 403 403 403 403",
    "settlement:request_send":            "302 200 404 200 403 403 403 403 403 403 403 403",
    "settlement:requests":                "302 200 200 200 200 200 200 403 403 403 403 403",
    "settlement:reunification":           "302 200 404 200 403 403 403 403 403 403 403 403",
    "settlement:settlement_registration": "302 403 403 403 200 200 200 403 403 403 403 403",
    "settlement:transfer":                "302 200 404 200 403 403 403 403 403 403 403 403",
    "settlement:work_queue":              "302 200 200 200 403 403 403 403 403 403 403 403",
}

# url name -> POST statuses (empty form, valid CSRF token), for pages that have actions.
POST = {
    #                                     anon cw  cw_o adm m_ro m_rw m_ot min udi buf nav hus
    "agreements:detail":                  "302 403 404 403 403 403 404 403 403 403 403 403",
    "agreements:list":                    "302 400 400 400 403 403 403 403 403 403 403 403",
    "agreements:templates":               "302 400 400 400 403 403 403 403 403 403 403 403",
    "agreements:without_agreement":       "302 400 400 400 403 403 403 403 403 403 403 403",
    "api:settlement-ready-list":          "401 403 403 403 403 403 403 403 400 403 403 403",
    "grants:application":                 "302 403 404 403 403 403 404 403 403 403 403 403",
    "grants:applications":                "302 400 400 400 400 400 400 403 403 403 403 403",
    "grants:claim":                       "302 403 403 302 403 403 403 403 403 403 403 403",
    "grants:claim_letter":                "302 302 404 302 403 403 404 403 403 403 403 403",
    "grants:dispute":                     "302 403 404 403 403 403 404 403 403 403 403 403",
    "grants:dispute_new":                 "302 403 403 403 403 400 404 403 403 403 403 403",
    "grants:overdue_reports":             "302 400 400 400 403 403 403 403 403 403 403 403",
    "grants:participation":               "302 403 404 403 403 403 404 403 403 403 403 403",
    "grants:self_settled":                "302 400 400 400 403 403 403 403 403 403 403 403",
    "grants:claims":                      "302 400 400 400 403 403 403 403 403 403 403 403",
    "reporting:indicator_values":         "302 403 403 400 403 403 403 403 403 403 403 403",
    "reporting:snapshots":                "302 400 400 400 403 403 403 403 403 403 403 403",
    "settlement:contact":                 "302 400 404 400 403 403 403 403 403 403 403 403",
    "settlement:contacts":                "302 400 400 400 403 403 403 403 403 403 403 403",
    "settlement:decision":                "302 403 403 403 403 400 400 403 403 403 403 403",
    "settlement:decision_register":       "302 400 400 400 403 403 403 403 403 403 403 403",
    "settlement:distribution_list_new":   "302 400 400 400 403 403 403 403 403 403 403 403",
    "settlement:household":               "302 403 404 403 403 403 404 403 403 403 403 403",
    "settlement:household_new":           "302 400 400 400 403 403 403 403 403 403 403 403",
    "settlement:inbox":                   "302 403 403 403 404 404 404 403 403 403 403 403",
    "settlement:interview":               "302 403 403 403 403 403 403 403 403 403 403 403",
    "settlement:interview_waiver":        "302 400 404 400 403 403 403 403 403 403 403 403",
    "settlement:matching":                "302 400 400 400 403 403 403 403 403 403 403 403",
    "settlement:minors":                  "302 400 400 400 403 403 403 403 403 400 403 403",
    "settlement:request_adjust":          "302 400 404 400 403 403 403 403 403 403 403 403",
    "settlement:request_new":             "302 400 400 400 403 403 403 403 403 403 403 403",
    "settlement:request_plan":            "302 400 400 400 403 403 403 403 403 403 403 403",
    "settlement:request_send":            "302 400 404 400 403 403 403 403 403 403 403 403",
    "settlement:reunification":           "302 400 404 400 403 403 403 403 403 403 403 403",
    "settlement:settlement_registration": "302 403 403 403 404 404 404 403 403 403 403 403",
    "settlement:transfer":                "302 400 404 400 403 403 403 403 403 403 403 403",
}

# The reception centre's staff (Role.RECEPTION_CENTRE at the household's centre, Råde mottak): a 13th column, kept
# apart so that the rows above keep their 12. A URL not named here gets RECEPTION_DEFAULT, 403 for a page or an
# API view the role may not use (logged in, no permission), 200 for the API's public reference data.
RECEPTION_GET = {
    "api:api-root": "200", "api:docs": "200", "api:schema": "200",
    "api:municipality-detail": "200", "api:municipality-list": "200",
    "home": "302", "settlement:reception": "200", "settlement:interview": "200",
}
RECEPTION_POST = {"settlement:interview": "400"}
RECEPTION_DEFAULT = "403"


def _walk(resolver, prefix=""):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            if p.namespace in EXCLUDED_NAMESPACES:
                continue
            yield from _walk(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            yield prefix + p.name, p


def url_names() -> list[str]:
    """Every named URL (web and the API router's routes), once each; format-suffix variants share a name."""
    return sorted({name for name, _ in _walk(get_resolver())} - set(PUBLIC))


@pytest.fixture
def world(db, settings):
    settings.API_THROTTLE_RATES = {k: "100000/minute" for k in settings.API_THROTTLE_RATES}
    load_reference_data()
    today = timezone.localdate()
    oslo, bergen = Municipality.objects.get(number="0301"), Municipality.objects.get(number="1201")
    ost, vest = Region.objects.get(code="ost"), Region.objects.get(code="vest")
    agencies = {a.code: a for a in Agency.objects.all()}
    User = get_user_model()

    def user(name, role, **scope):
        u = User.objects.create_user(username=name, password="x", email=f"{name}@example.no")
        UserProfile.objects.create(user=u, role=role, **scope)
        return u

    users = {
        "cw": user("cw", Role.CASEWORKER, region=ost), "cw_other": user("cw_other", Role.CASEWORKER, region=vest),
        "admin": user("admin", Role.NATIONAL_ADMIN),
        "muni_ro": user("muni_ro", Role.MUNICIPALITY, municipality=oslo),
        "muni_rw": user("muni_rw", Role.MUNICIPALITY, municipality=oslo, can_write=True),
        "muni_other": user("muni_other", Role.MUNICIPALITY, municipality=bergen, can_write=True),
        "ministry": user("ministry", Role.MINISTRY),
    }
    for name, (code, _) in AGENCY_TOKENS.items():
        users[name] = user(name, Role.AGENCY, agency=agencies[code])
    users["reception"] = user("reception", Role.RECEPTION_CENTRE,
                              reception_centre=ReceptionCentre.objects.get(name="Råde mottak"))
    admin = actor_for(users["admin"])

    household = HouseholdFactory(proposed=True, municipality=oslo, reception_centre=ReceptionCentre.objects.get(name="Råde mottak"),
                                 registered_by_agency=agencies["udi"])
    request = settlement_services.create_settlement_request(
        admin, municipality=oslo, sent_on=today, reply_deadline=today + timedelta(days=30),
        years={today.year + 1: (10, 0)}, note="")
    # Oslo's letter recipient and the request's letter, sent (issue 12).
    from settlement.models import MunicipalityContact, RequestLetter
    contact = MunicipalityContact.objects.create(municipality=oslo, name="Kommunedirektøren", title="kommunedirektor",
                                                 email="kommunedirektor@oslo.kommune.no", receives_request_letter=True)
    RequestLetter.objects.create(request=request, recipient_name=contact.name, recipient_title="Kommunedirektør",
                                 recipient_email=contact.email, pdf=b"%PDF-1.4", sent_at=timezone.now())
    settlement_services.record_decision(
        Actor(user=None, role=Role.MUNICIPALITY, municipality_id=oslo.pk, can_write=True), municipality=oslo,
        year=today.year, places=10, unaccompanied_minors=0, decided_on=today)
    load_grant_schemes(years=[today.year])
    batch = PaymentBatch.objects.create(year=today.year, quarter=1, total=Decimal("1"), file_content="x")
    claim = GrantClaim.objects.create(municipality=oslo, year=today.year, quarter=1, total=Decimal("100"))
    claim_line = GrantClaimLine.objects.create(claim=claim, scheme=GrantScheme.objects.get(code="integreringstilskudd"),
                                               person=household.persons.first(), rate_kind="integration_y2",
                                               amount=Decimal("100"), description="Integreringstilskudd år 2")
    dispute = ClaimDispute.objects.create(claim=claim, line=claim_line, line_text="x", line_amount=Decimal("100"), reason="x")
    application = GrantApplication.objects.create(
        grant_year=GrantYear.objects.filter(year=today.year).first(), municipality=oslo, applicant_name="Oslo kommune",
        title="Jobbsjansen", description="x", amount_requested=Decimal("1000"))
    agreement = agreement_services.create_agreement(
        admin, title="Avtale Oslo", agreement_type=AgreementType.PARTNERSHIP, region=ost, start_date=date(today.year, 1, 1),
        end_date=date(today.year + 2, 12, 31), purpose="x", municipalities=[oslo], agencies=[agencies["nav"]],
        goals=["Mål"], commitments=[])
    snapshot = ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=today.year, month=1)
    ids = {
        "household": household.pk, "person": household.persons.first().pk,
        "distribution_list": household.proposals.get().distribution_list_id, "proposal": household.proposals.get().pk,
        "request": request.pk, "decision": None, "claim": claim.pk, "claim_line": claim_line.pk, "dispute": dispute.pk, "batch": batch.pk, "application": application.pk,
        "agreement": agreement.pk, "snapshot": snapshot.pk, "municipality": oslo.pk, "contact": contact.pk,
    }
    clients = {"anon": Client(enforce_csrf_checks=True, raise_request_exception=False)}
    for name, u in users.items():
        client = Client(enforce_csrf_checks=True, raise_request_exception=False)
        client.force_login(u)
        clients[name] = client
    tokens = {name: issue_token(users[name], name, scopes)[1] for name, (_, scopes) in AGENCY_TOKENS.items()}
    return {"ids": ids, "clients": clients, "tokens": tokens}


# Which object a URL with an id is about (by the last part of its name).
OBJECT_OF = {
    "settlement:household": "household", "settlement:person": "person",
    "settlement:reunification": "household", "settlement:transfer": "household",
    "settlement:interview": "person", "settlement:interview_waiver": "household",
    "settlement:distribution_list": "distribution_list", "settlement:request_adjust": "request",
    "settlement:request_send": "request", "settlement:request_letter": "request", "settlement:contact": "contact",
    "grants:claim": "claim", "grants:claim_letter": "claim", "grants:batch": "batch", "grants:application": "application",
    "grants:dispute": "dispute", "grants:participation": "person",
    "agreements:detail": "agreement", "reporting:snapshot": "snapshot", "reporting:snapshot_status": "snapshot",
    "reporting:snapshot_export": "snapshot",
    "api:household-detail": "household", "api:person-detail": "person", "api:proposal-detail": "proposal",
    "api:request-detail": "request", "api:grant-claim-detail": "claim", "api:agreement-detail": "agreement",
    "api:report-snapshot-detail": "snapshot", "api:municipality-detail": "municipality",
}


def url_for(name, ids):
    if name == "api:decision-detail":
        from settlement.models import MunicipalDecision
        return reverse(name, args=[MunicipalDecision.objects.get().pk])
    if name == "grants:dispute_new":
        return reverse(name, args=[ids["claim"], ids["claim_line"]])
    if name == "reporting:snapshot_export":
        return reverse(name, kwargs={"pk": ids["snapshot"], "fmt": "csv"})
    if name in OBJECT_OF:
        return reverse(name, args=[ids[OBJECT_OF[name]]])
    return reverse(name)


def request(world, role, method, url):
    """One request as `role`, rolled back afterwards."""
    client = world["clients"][role]
    extra = {}
    if role in AGENCY_TOKENS and url.startswith("/api/"):
        client, extra = Client(enforce_csrf_checks=True, raise_request_exception=False), {"HTTP_AUTHORIZATION": f"Token {world['tokens'][role]}"}
    if method == "post":
        token = _get_new_csrf_string()
        client.cookies[settings.CSRF_COOKIE_NAME] = token
        extra["HTTP_X_CSRFTOKEN"] = token
    with transaction.atomic():
        response = getattr(client, method)(url, **extra)
        transaction.set_rollback(True)
    return response.status_code


def test_every_url_has_a_policy_row_and_every_role_gets_its_status(world):
    names = url_names()
    unknown = [n for n in names if n not in GET]
    actual_get, actual_post, mismatches = {}, {}, []
    for name in names:
        url = url_for(name, world["ids"])
        got = [request(world, role, "get", url) for role in ROLES]
        actual_get[name] = " ".join(map(str, got))
        if name in GET and actual_get[name] != GET[name]:
            mismatches.append(f"GET {name} {url}\n  want {GET[name]}\n  got  {actual_get[name]}")
        got = str(request(world, "reception", "get", url))
        want = RECEPTION_GET.get(name, RECEPTION_DEFAULT)
        if got != want:
            mismatches.append(f"GET {name} {url} as reception centre: want {want}, got {got}")
        if name in POST or os.environ.get("MATRIX_PRINT"):
            got = [request(world, role, "post", url) for role in ROLES]
            actual_post[name] = " ".join(map(str, got))
            if name in POST and actual_post[name] != POST[name]:
                mismatches.append(f"POST {name} {url}\n  want {POST[name]}\n  got  {actual_post[name]}")
        if name in POST or name in RECEPTION_POST:
            got = str(request(world, "reception", "post", url))
            want = RECEPTION_POST.get(name, RECEPTION_DEFAULT)
            if got != want:
                mismatches.append(f"POST {name} {url} as reception centre: want {want}, got {got}")
    if os.environ.get("MATRIX_PRINT"):
        print("\nGET = {")
        for n in names:
            print(f'    "{n}": "{actual_get[n]}",')
        print("}\nPOST = {")
        for n in names:
            print(f'    "{n}": "{actual_post[n]}",')
        print("}")
    assert not unknown, f"New page(s) without a policy row in the matrix: {unknown}"
    assert not [n for n in GET if n not in names], "Rows for URLs that no longer exist"
    assert not mismatches, "\n".join(mismatches)
