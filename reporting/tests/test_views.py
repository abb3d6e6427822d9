"""Report pages: who sees what, progress while a job runs, ordering reports and entering indicator values."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from core.errors import Forbidden, error_codes
from reporting.models import Indicator, ReportKind, ReportSnapshot, SnapshotStatus
from reporting.views import SnapshotListView


def _form_codes(response, field):
    return {e.code for e in response.context["form"].errors.as_data()[field]}


def test_ministry_dashboard_shows_aggregates_with_suppression(client_for, snapshots):
    response = client_for("ministry").get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="kpi-settled-ytd">10<' in body
    assert "&lt;5" in body  # settled in the month: four persons
    assert "vendor/chartjs/chart.umd.min.js" in body and "cdn" not in body.lower()
    assert "D1.1" in body and "Nådd" in body
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
