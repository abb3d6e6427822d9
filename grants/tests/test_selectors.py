"""Grant reads: committed money per scheme, what each role sees, claim summaries and overdue reports."""

from datetime import date, timedelta
from decimal import Decimal

from core.models import Agency, Role
from core.roles import actor_for
from core.testing import count_queries
from grants import selectors, services
from grants.entitlements import INTEGRATION, NORWEGIAN
from grants.models import GrantClaim, GrantYear, RateKind

from .factories import ApplicationFactory, settle

D = Decimal


def test_committed_money_counts_granted_applications_and_approved_claims_in_two_queries(jobbsjansen, schemes, ref, actors):
    for traits, amount in (({}, "1"), ({"assessed": True}, "2"), ({"rejected": True}, "4"), ({"granted": True}, "100"),
                           ({"paid": True}, "200"), ({"reported": True}, "400")):
        ApplicationFactory(grant_year=jobbsjansen, amount_requested=D(amount), **traits)
    settle(ref, date(2026, 1, 10))
    settle(ref, date(2026, 2, 10), municipality="bergen")
    services.build_claims(2026, 1)
    services.approve_claim(actors["admin"], GrantClaim.objects.get(municipality=ref["oslo"]))  # Bergen's stays calculated
    with count_queries() as queries:
        committed = selectors.committed_by_scheme(2026)
    assert len(queries) == 2
    # Oslo's approved claim: one single adult's year-1 integration grant and Norwegian per-person grant.
    assert committed == {jobbsjansen.scheme_id: D("700"), schemes[INTEGRATION].pk: D("200000"), schemes[NORWEGIAN].pk: D("60000")}
    assert selectors.committed_by_scheme(2025) == {}
    assert selectors.budget_left(jobbsjansen) == D("999300")


def test_scheme_overview_shows_use_of_each_budget(jobbsjansen):
    ApplicationFactory(grant_year=jobbsjansen, amount_requested=D("250000"), granted=True)
    overview = {gy.scheme.code: gy for gy in selectors.scheme_overview(jobbsjansen.year)}
    assert len(overview) == 7
    jobb = overview["jobbsjansen"]
    assert (jobb.committed, jobb.left, jobb.use) == (D("250000"), D("750000"), D("25.0"))
    assert overview[INTEGRATION].committed == 0


def test_each_role_sees_its_own_claims_and_applications(schemes, jobbsjansen, ref, users, make_user):
    settle(ref, date(2026, 1, 10))
    settle(ref, date(2026, 2, 10), municipality="bergen")
    services.build_claims(2026, 1)
    oslo_app = ApplicationFactory(grant_year=jobbsjansen, municipality=ref["oslo"])
    org_app = ApplicationFactory(grant_year=jobbsjansen)
    agency = actor_for(make_user(Role.AGENCY, "nav-client", agency=Agency.objects.first()))
    seen = {}
    for name, actor in {**{k: actor_for(users[k]) for k in ("admin", "cw_vest", "oslo", "ministry")}, "agency": agency}.items():
        seen[name] = ({c.municipality.number for c in selectors.claims_for(actor)}, set(selectors.applications_for(actor)))
    assert seen == {
        "admin": ({"0301", "1201"}, {oslo_app, org_app}),
        "cw_vest": ({"1201"}, {org_app}),  # the region's municipalities only; organisations' applications are national
        "oslo": ({"0301"}, {oslo_app}),
        "ministry": (set(), set()),
        "agency": (set(), set()),  # claims list everyone's names and DUF numbers: no agency sees them
    }


def test_claim_summary_sums_lines_per_scheme_and_rate(schemes, ref):
    settle(ref, date(2026, 1, 10))
    settle(ref, date(2026, 2, 10))
    settle(ref, date(2025, 3, 1))  # in year 2 of the integration grant
    services.build_claims(2026, 1)
    summary = selectors.claim_summary(GrantClaim.objects.get())
    assert [(r["rate_kind"], r["entitlement_year"], r["persons"], r["amount"]) for r in summary] == [
        (RateKind.INTEGRATION_Y1_SINGLE_ADULT, 1, 2, D("400000")),
        (RateKind.INTEGRATION_Y2, 2, 1, D("25000")),
        (RateKind.NORWEGIAN_PER_PERSON, None, 2, D("120000")),
    ]


def test_overdue_reports_are_paid_grants_past_the_report_deadline(jobbsjansen):
    GrantYear.objects.filter(pk=jobbsjansen.pk).update(report_deadline=date(2027, 3, 1))
    paid = ApplicationFactory(grant_year=jobbsjansen, paid=True)
    ApplicationFactory(grant_year=jobbsjansen, reported=True)
    ApplicationFactory(grant_year=jobbsjansen, granted=True)
    assert list(selectors.overdue_reports(date(2027, 3, 1))) == []
    assert list(selectors.overdue_reports(date(2027, 3, 1) + timedelta(days=1))) == [paid]
