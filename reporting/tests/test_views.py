"""Report pages: who sees what, progress while a job runs, ordering reports and entering indicator values."""

from datetime import date, datetime

import pytest
from django.utils import timezone
from django.test import RequestFactory
from django.urls import reverse

from core.errors import Forbidden, error_codes
from core.testing import count_queries, off_site_assets
from reporting.models import Indicator, ReportKind, ReportSnapshot, SnapshotStatus, Verdict
from reporting.services import run_snapshot
from reporting.views import SnapshotListView


def _form_codes(response, field):
    return {e.code for e in response.context["form"].errors.as_data()[field]}


def test_ministry_dashboard_shows_aggregates_with_suppression(client_for, snapshots):
    response = client_for("ministry").get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="kpi-settled-ytd">10<' in body
    assert "&lt;5" in body  # settled in the month: four persons
    assert "vendor/chartjs/chart.umd.min.js" in body and off_site_assets(body) == []
    assert "D1.1" in body and "Delvis nådd" in body
    # The target card reads the year's target from the goal structure, not a hard-coded 70 %. The ministry does not
    # see the general share: its base (9) and the total (10) would give back the one minor settled.
    assert 'data-testid="kpi-within-6m">–<' in body and "mål 70,0\xa0%" in body
    imdi = client_for("cw_ost").get(reverse("reporting:dashboard")).content.decode()
    assert 'data-testid="kpi-within-6m">77,8\xa0%<' in imdi
    assert "&lt;5 = 1–4 personer; : = skjult for å hindre tilbakeregning" in body
    charts = response.context["charts"]
    assert [s["settled"] for s in charts["series"][:6]] == [0, 0, "<5", "<5", "<5", "<5"]


def test_caseworker_sees_exact_counts(client_for, snapshots):
    monthly, _ = snapshots
    response = client_for("cw_ost").get(reverse("reporting:snapshot", args=[monthly.pk]))
    assert 'data-testid="settled-month">4<' in response.content.decode()


def test_municipality_users_have_no_report_access(client_for, snapshots):
    monthly, _ = snapshots
    client = client_for("oslo")
    assert client.get(reverse("reporting:dashboard")).status_code == 403
    assert client.get(reverse("reporting:snapshot_export", args=[monthly.pk, "csv"])).status_code == 403


def test_running_snapshot_shows_progress_and_status_json(client_for, snapshots):
    running = ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=5, status=SnapshotStatus.RUNNING,
                                            progress=55, version=1)
    client = client_for("ministry")
    page = client.get(reverse("reporting:snapshot", args=[running.pk])).content.decode()
    assert 'id="progress-card"' in page and "width:55%" in page
    status = client.get(reverse("reporting:snapshot_status", args=[running.pk])).json()
    assert status == {"status": "running", "status_label": "Beregnes", "progress": 55, "error": ""}


def test_order_report_form(client_for, snapshots, today, django_capture_on_commit_callbacks):
    client = client_for("admin")
    response = client.post(reverse("reporting:snapshots"), {"kind": "monthly", "year": today.year + 1, "month": 1})
    assert response.status_code == 400
    assert _form_codes(response, "year") == {"period_in_future"}
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:snapshots"), {"kind": "monthly", "year": 2025, "month": 6})
    assert response.status_code == 302
    snapshot = ReportSnapshot.objects.get(kind="monthly", year=2025, month=6, version=2)
    assert snapshot.status == SnapshotStatus.DONE  # eager in tests; a worker runs it in production
    assert client_for("ministry").post(reverse("reporting:snapshots"), {"kind": "goals", "year": 2025}).status_code == 403


def test_ministry_ordering_a_report_is_refused_with_a_code(users):
    """The view raises Forbidden (rendered by the 403 page) instead of answering a bare text response."""
    request = RequestFactory().post("/rapporter/", {"kind": "goals", "year": 2025})
    request.user = users["ministry"]
    with pytest.raises(Forbidden) as exc:
        SnapshotListView.as_view()(request)
    assert error_codes(exc.value) == {"role_not_allowed"}


def test_admin_enters_indicator_value_through_form(client_for, snapshots):
    client = client_for("admin")
    d21 = Indicator.objects.get(code="D2.1")
    response = client.post(reverse("reporting:indicator_values"), {"indicator": d21.pk, "year": 2025, "value": "130", "note": "x"})
    assert response.status_code == 400 and _form_codes(response, "value") == {"share_over_100"}
    response = client.post(reverse("reporting:indicator_values"), {"indicator": d21.pk, "year": 2025, "value": "88.5", "note": "SSB"})
    assert response.status_code == 302
    assert d21.values.get(year=2025).value == 88.5
    assert client_for("cw_ost").get(reverse("reporting:indicator_values")).status_code == 403


def _snapshot_on(day, **period):
    """A monthly snapshot computed on `day` (so a month not yet over is computed while it runs)."""
    import time_machine

    with time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=timezone.get_current_timezone()), tick=False):
        return run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, **period).pk)


def test_dashboard_opens_on_the_latest_complete_month_and_offers_no_empty_period(client_for, snapshots):
    june, _ = snapshots
    july = _snapshot_on(date(2025, 7, 20), year=2025, month=7)  # 20 July: the month is not over
    empty = _snapshot_on(date(2019, 2, 5), year=2019, month=1)  # "januar 2019": nothing settled or waiting
    assert (june.complete, july.complete, july.has_data, empty.has_data) == (True, False, True, False)
    client = client_for("ministry")
    response = client.get(reverse("reporting:dashboard"))
    assert response.context["snapshot"].pk == june.pk
    offered = [s.pk for s in response.context["monthly_snapshots"]]
    assert july.pk in offered and empty.pk not in offered
    body = response.content.decode()
    assert "juli 2025 (v1) – ikke komplett" in body and "januar 2019" not in body
    page = client.get(reverse("reporting:dashboard"), {"snapshot": july.pk}).content.decode()
    assert 'data-testid="in-progress"' in page
    detail = client.get(reverse("reporting:snapshot", args=[july.pk])).content.decode()
    assert 'data-testid="in-progress"' in detail


def test_dashboard_reads_figures_of_the_two_shown_snapshots_only(client_for, snapshots):
    for month in (1, 2, 3, 4, 5):
        run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=month).pk)
    client = client_for("ministry")
    with count_queries() as q:
        client.get(reverse("reporting:dashboard"))
    snapshot_reads = [x["sql"] for x in q.captured_queries if 'FROM "reporting_reportsnapshot"' in x["sql"]]
    with_figures = [sql for sql in snapshot_reads if '"public_figures"' in sql or '"reporting_reportsnapshot"."figures"' in sql]
    # The picker lists six months without loading any figures; the month shown and its goal report load theirs.
    assert len(with_figures) == 2
    assert all('"reporting_reportsnapshot"."figures"' not in sql for sql in with_figures)  # the ministry reads the published


def test_admin_enters_a_verdict_of_table_9_1(client_for, snapshots):
    client = client_for("admin")
    response = client.post(reverse("reporting:indicator_values"), {
        "form": "verdict", "goal": "D2", "indicator": Indicator.objects.get(code="D1.1").pk, "period": "2013",
        "assessment": "met"})
    assert response.status_code == 400 and _form_codes_named(response, "verdict_form", "indicator") == {"indicator_goal_mismatch"}
    response = client.post(reverse("reporting:indicator_values"), {
        "form": "verdict", "goal": "D5", "period": "2013", "assessment": "partly_met", "note": "x"})
    assert response.status_code == 302
    assert Verdict.objects.get(goal="D5", indicator=None, period="2013").assessment == "partly_met"
    page = client.get(reverse("reporting:indicator_values")).content.decode()
    assert "Delvis nådd" in page


def _form_codes_named(response, form_name, field):
    return {e.code for e in response.context[form_name].errors.as_data()[field]}


def test_dashboard_snapshot_parameter_that_is_no_id_is_a_client_error(client_for, snapshots):
    client = client_for("ministry")
    client.raise_request_exception = False
    for value in ("²", "9" * 30, "abc"):
        assert client.get(reverse("reporting:dashboard"), {"snapshot": value}).status_code == 400, value
    assert client.get(reverse("reporting:dashboard"), {"snapshot": 999999}).status_code == 404


def test_dashboard_queries_stay_constant_as_snapshots_grow(client_for, snapshots):
    """Issue 14: the ministry dashboard lists every month in its picker without a query per month."""
    client = client_for("ministry")

    def queries():
        with count_queries() as q:
            assert client.get(reverse("reporting:dashboard")).status_code == 200
        return len(q)

    run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=5).pk)
    before = queries()
    for month in (1, 2, 3, 4):
        run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=month).pk)
    response = client.get(reverse("reporting:dashboard"))
    assert len(response.context["monthly_snapshots"]) == 6
    assert queries() == before
