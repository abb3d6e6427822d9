"""Grant services: claims within budget, the payment file, and the application workflow's rules and codes."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import error_codes
from core.models import Municipality
from grants import selectors, services
from grants.entitlements import INTEGRATION
from grants.models import ApplicationStatus, ClaimStatus, GrantApplication, GrantClaim, GrantYear

from .factories import ApplicationFactory, settle

D = Decimal


def refused(exc_type, call, *args, **kwargs) -> set[str]:
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    return error_codes(info.value)


# --- Claims -----------------------------------------------------------------------------------


def test_claims_are_built_rebuilt_and_locked(schemes, ref, actors):
    settle(ref, date(2025, 4, 2))
    settle(ref, date(2025, 5, 2), municipality="bergen")
    result = services.build_claims(2025, 2)
    assert (result["created"], result["total"]) == (2, 2 * (D("200000") + D("60000")))
    claim = GrantClaim.objects.get(municipality=ref["oslo"], year=2025, quarter=2)
    assert (claim.total, claim.lines.count()) == (D("260000"), 2)
    again = services.build_claims(2025, 2)  # idempotent: same lines, no duplicates
    assert (again["created"], again["updated"]) == (0, 2)
    assert GrantClaim.objects.get(pk=claim.pk).lines.count() == 2

    services.approve_claim(actors["admin"], claim)
    settle(ref, date(2025, 6, 1))  # a late registration does not change an approved claim
    assert services.build_claims(2025, 2)["locked"] == 1
    assert GrantClaim.objects.get(pk=claim.pk).total == D("260000")
    assert refused(ValidationError, services.approve_claim, actors["admin"], claim) == {"invalid_transition"}
    bergen = GrantClaim.objects.get(municipality=ref["bergen"])
    assert refused(PermissionDenied, services.approve_claim, actors["cw_ost"], bergen) == {"role_not_allowed"}


def test_claims_need_a_quarter_and_rates(schemes, ref):
    assert refused(ValidationError, services.build_claims, 2025, 5) == {"invalid_quarter"}
    settle(ref, date(2031, 2, 1))
    assert refused(ValidationError, services.build_claims, 2031, 1) == {"missing_rate"}  # rates are loaded to 2030


def test_per_capita_claims_are_approved_beyond_the_budget_and_the_forecast_warns(schemes, ref, actors):
    """Per-capita grants are statutory (evaluation, lines 2748-2750): the budget never refuses an approval."""
    GrantYear.objects.filter(scheme__code=INTEGRATION, year=2025).update(budget=D("300000"))
    settle(ref, date(2025, 4, 2))
    settle(ref, date(2025, 5, 2), municipality="bergen")
    services.build_claims(2025, 2)
    services.approve_claim(actors["admin"], GrantClaim.objects.get(municipality=ref["oslo"]))
    bergen = services.approve_claim(actors["admin"], GrantClaim.objects.get(municipality=ref["bergen"]))
    assert bergen.status == ClaimStatus.APPROVED
    integration = next(gy for gy in selectors.scheme_forecast(2025) if gy.scheme.code == INTEGRATION)
    # Approved 2 x 200,000; projected: each person's year-2 parts are 2026's, so 2025 Q3 and Q4 bring nothing more.
    assert (integration.committed, integration.projected, integration.forecast, integration.over) == (
        D("400000"), D("0"), D("400000"), D("100000"))
    assert [gy.scheme.code for gy in selectors.claim_warnings(bergen)] == [INTEGRATION]


def test_payment_file_pays_the_approved_claims(schemes, ref, actors):
    settle(ref, date(2025, 4, 2))
    settle(ref, date(2025, 5, 2), municipality="bergen")
    services.build_claims(2025, 2)
    assert refused(ValidationError, services.create_payment_batch, actors["admin"], year=2025, quarter=2) == {"nothing_to_pay"}
    claim = services.approve_claim(actors["admin"], GrantClaim.objects.get(municipality=ref["oslo"]))
    assert refused(PermissionDenied, services.create_payment_batch, actors["cw_ost"], year=2025, quarter=2) == {"role_not_allowed"}
    batch = services.create_payment_batch(actors["admin"], year=2025, quarter=2)
    assert batch.file_content == ("kommunenr;kommune;aar;kvartal;belop;referanse\n"
                                  f"0301;Oslo;2025;2;260000.00;IMDI-20252-{claim.pk:06d}\n"
                                  "SUM;1 krav;2025;2;260000.00;\n")
    assert [(c.status, c.payment_batch) for c in GrantClaim.objects.order_by("municipality__number")] == [
        (ClaimStatus.PAID, batch), (ClaimStatus.CALCULATED, None)]  # Oslo 0301 paid, Bergen 1201 not approved


def test_payment_file_keeps_its_columns_when_a_name_holds_a_separator_or_a_quote(schemes, ref, actors):
    Municipality.objects.filter(pk=ref["oslo"].pk).update(name='Oslo; "Indre" by')
    settle(ref, date(2025, 4, 2))
    services.build_claims(2025, 2)
    claim = services.approve_claim(actors["admin"], GrantClaim.objects.get())
    batch = services.create_payment_batch(actors["admin"], year=2025, quarter=2)
    rows = list(csv.reader(io.StringIO(batch.file_content), delimiter=";"))
    assert rows == [["kommunenr", "kommune", "aar", "kvartal", "belop", "referanse"],
                    ["0301", 'Oslo; "Indre" by', "2025", "2", "260000.00", f"IMDI-20252-{claim.pk:06d}"],
                    ["SUM", "1 krav", "2025", "2", "260000.00", ""]]


# --- Applications -----------------------------------------------------------------------------


def test_application_workflow_with_roles_and_budget(jobbsjansen, ref, actors, admin2):
    a = services.submit_application(actors["oslo"], grant_year=jobbsjansen, title="Jobbsjansen Stovner", description="Kvalifisering",
                                    amount_requested=D("700000"), municipality=ref["oslo"])
    assert a.applicant_name == "Oslo kommune"
    b = services.submit_application(actors["bergen"], grant_year=jobbsjansen, title="Jobbsjansen Bergen", description="Ungdom",
                                    amount_requested=D("500000"), municipality=ref["bergen"])
    # Bergen is in region Vest.
    assert refused(PermissionDenied, services.assess_application, actors["cw_ost"], b, assessment="ok",
                   recommended_amount=None) == {"other_region"}
    assert refused(ValidationError, services.decide_application, actors["admin"], a, grant=True, amount=D("1")) == {
        "invalid_transition"}
    assert refused(ValidationError, services.assess_application, actors["cw_ost"], a, assessment=" ",
                   recommended_amount=None) == {"assessment_required"}
    assert refused(ValidationError, services.assess_application, actors["cw_ost"], a, assessment="Godt",
                   recommended_amount=D("700001")) == {"recommended_out_of_range"}
    services.assess_application(actors["cw_ost"], a, assessment="Godt prosjekt", recommended_amount=D("600000"))
    services.assess_application(actors["admin"], b, assessment="Godt", recommended_amount=D("500000"))
    assert refused(PermissionDenied, services.decide_application, actors["oslo"], a, grant=True, amount=D("600000")) == {
        "role_not_allowed"}
    assert refused(PermissionDenied, services.decide_application, actors["admin"], b, grant=True, amount=D("500000")) == {
        "assessor_cannot_decide"}  # four eyes
    assert refused(ValidationError, services.decide_application, actors["admin"], a, grant=True, amount=D("0")) == {
        "amount_not_positive"}
    assert refused(ValidationError, services.decide_application, actors["admin"], a, grant=True, amount=D("800000")) == {
        "amount_over_requested"}
    services.decide_application(actors["admin"], a, grant=True, amount=D("600000"), reason="Innvilget")
    # 600,000 of 1,000,000 is granted: 500,000 more would overspend the scheme.
    assert refused(ValidationError, services.decide_application, admin2, b, grant=True, amount=D("500000")) == {"over_budget"}
    assert refused(ValidationError, services.decide_application, admin2, b, grant=False) == {"reason_required"}
    services.decide_application(admin2, b, grant=False, reason="Bevilgningen er brukt opp")
    assert refused(ValidationError, services.pay_application, actors["admin"], b) == {"invalid_transition"}
    assert refused(ValidationError, services.report_on_grant, actors["oslo"], a, report="x", amount_used=D("1")) == {
        "invalid_transition"}
    services.pay_application(actors["admin"], a)
    assert refused(PermissionDenied, services.report_on_grant, actors["bergen"], a, report="x", amount_used=D("1")) == {
        "other_municipality"}
    assert refused(PermissionDenied, services.report_on_grant, actors["admin"], a, report="x", amount_used=D("1")) == {
        "other_municipality"}  # the municipality reports on its own grant
    assert refused(ValidationError, services.report_on_grant, actors["oslo"], a, report=" ", amount_used=D("1")) == {
        "report_required"}
    assert refused(ValidationError, services.report_on_grant, actors["oslo"], a, report="Rapport", amount_used=D("650000")) == {
        "amount_used_out_of_range"}
    services.report_on_grant(actors["oslo"], a, report="12 deltakere, 7 i arbeid", amount_used=D("590000"))
    a.refresh_from_db()
    assert (a.status, a.amount_used) == (ApplicationStatus.REPORTED, D("590000"))
    assert [h.status for h in a.history.order_by("history_date")] == ["submitted", "assessed", "granted", "paid", "reported"]
    b.refresh_from_db()
    assert (b.status, b.decided_by, b.amount_granted) == (ApplicationStatus.REJECTED, admin2.user, None)


STEPS = {
    "assess": lambda actor, app: services.assess_application(actor, app, assessment="Bra", recommended_amount=None),
    "grant": lambda actor, app: services.decide_application(actor, app, grant=True, amount=D("1")),
    "reject": lambda actor, app: services.decide_application(actor, app, grant=False, reason="Nei"),
    "pay": lambda actor, app: services.pay_application(actor, app),
    "report": lambda actor, app: services.report_on_grant(actor, app, report="Rapport", amount_used=D("1")),
}
STATES = ["submitted", "assessed", "granted", "rejected", "paid", "reported"]


def test_each_step_is_taken_from_its_state_and_refused_from_every_other(jobbsjansen, actors):
    """An organisation's application (no municipality), so IMDi's national admin may take every step."""
    outcomes = {}
    for state in STATES:
        for step, call in STEPS.items():
            app = ApplicationFactory(grant_year=jobbsjansen, **({} if state == "submitted" else {state: True}))
            try:
                outcomes[step, state] = call(actors["admin"], app).status
            except ValidationError as exc:
                outcomes[step, state] = error_codes(exc)
    allowed = {("assess", "submitted"): "assessed", ("grant", "assessed"): "granted", ("reject", "assessed"): "rejected",
               ("pay", "granted"): "paid", ("report", "paid"): "reported"}
    assert outcomes == {(step, state): allowed.get((step, state), {"invalid_transition"}) for state in STATES for step in STEPS}


def test_application_round_and_bad_input(jobbsjansen, ref, actors, today, time_machine):
    def submit(actor, **kwargs):
        kwargs = {"grant_year": jobbsjansen, "title": "x", "description": "y", "amount_requested": D("10"), **kwargs}
        return services.submit_application(actor, **kwargs)

    oslo = {"municipality": ref["oslo"]}
    assert refused(ValidationError, submit, actors["oslo"], amount_requested=D("0"), **oslo) == {"amount_not_positive"}
    assert refused(ValidationError, submit, actors["oslo"], amount_requested=D("1000000.01"), **oslo) == {"amount_over_budget"}
    assert refused(PermissionDenied, submit, actors["oslo"], municipality=ref["bergen"]) == {"other_municipality"}
    assert refused(PermissionDenied, submit, actors["oslo_read"], **oslo) == {"read_only"}
    assert refused(PermissionDenied, submit, actors["ministry"], applicant_name="Org") == {"role_not_allowed"}
    assert refused(ValidationError, submit, actors["admin"]) == {"applicant_required"}
    integration = GrantYear.objects.get(scheme__code=INTEGRATION, year=today.year)
    assert refused(ValidationError, submit, actors["admin"], grant_year=integration, applicant_name="Org") == {
        "not_an_application_scheme"}
    time_machine.move_to(jobbsjansen.opens_on - timedelta(days=1))
    assert refused(ValidationError, submit, actors["oslo"], **oslo) == {"application_period_not_open"}
    time_machine.move_to(jobbsjansen.application_deadline + timedelta(days=1))
    assert refused(ValidationError, submit, actors["oslo"], **oslo) == {"application_deadline_passed"}
    assert not GrantApplication.objects.exists()
    time_machine.move_to(jobbsjansen.application_deadline)  # the deadline day itself is open
    assert submit(actors["oslo"], **oslo).status == ApplicationStatus.SUBMITTED


def test_the_forecast_is_cached_until_the_data_changes(schemes, ref, actors):
    """The forecast takes seconds at national scale (issue 14): a second read computes nothing, and any write
    through the services (here a settlement, then an approval) gives a new figure at once."""
    from unittest import mock

    from grants import entitlements

    settle(ref, date(2025, 4, 2))
    services.build_claims(2025, 2)
    first = selectors.projected_by_scheme(2025)
    assert sum(first.values()) == D("260000")  # one single adult's year-1 and Norwegian grants, not yet approved
    with mock.patch.object(entitlements, "_basis", side_effect=AssertionError("computed again")):
        assert selectors.projected_by_scheme(2025) == first
    settle(ref, date(2025, 5, 2), municipality="bergen")
    assert sum(selectors.projected_by_scheme(2025).values()) == D("520000")
    services.approve_claim(actors["admin"], GrantClaim.objects.get(municipality=ref["oslo"]))
    assert sum(selectors.projected_by_scheme(2025).values()) == D("260000")  # Oslo's quarter is committed now
