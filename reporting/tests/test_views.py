"""Report pages and exports: who sees what, progress while a job runs, exports carry the figures."""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from reporting.models import ReportKind, ReportSnapshot, SnapshotStatus
from reporting.reference import load_indicators
from reporting.services import run_snapshot
from settlement.tests import report_data


@pytest.fixture
def snapshots(db, users):
    report_data.build()
    load_indicators()
    monthly = run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=6).pk)
    goals = run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.GOALS, year=2025).pk)
    return monthly, goals


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_ministry_dashboard_shows_aggregates_with_suppression(users, snapshots):
    monthly, _ = snapshots
    response = _client(users["ministry"]).get(reverse("reporting:dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="kpi-settled-ytd">10<' in body
    assert "&lt;5" in body  # settled in the month: four persons
    assert "vendor/chartjs/chart.umd.min.js" in body and "cdn" not in body.lower()
    assert "D1.1" in body and "Nådd" in body
    charts = response.context["charts"]
    assert [s["settled"] for s in charts["series"][:6]] == [0, 0, "<5", "<5", "<5", "<5"]


def test_caseworker_sees_exact_counts(users, snapshots):
    monthly, _ = snapshots
    response = _client(users["cw_ost"]).get(reverse("reporting:snapshot", args=[monthly.pk]))
    assert response.status_code == 200
    assert 'data-testid="settled-month">4<' in response.content.decode()


def test_municipality_users_have_no_report_access(users, snapshots):
    monthly, _ = snapshots
    client = _client(users["oslo"])
    assert client.get(reverse("reporting:dashboard")).status_code == 403
    assert client.get(reverse("reporting:snapshot_export", args=[monthly.pk, "csv"])).status_code == 403


def test_exports_csv_xlsx_pdf(users, snapshots):
    monthly, goals = snapshots
    client = _client(users["cw_ost"])
    response = client.get(reverse("reporting:snapshot_export", args=[monthly.pk, "csv"]))
    assert response["Content-Disposition"].endswith('imdi-monthly-2025-06-v1.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Bosatt hittil i år", "10"] in rows
    assert ["Øst", "2", "3", "18", "10", "1", "40.0", "2", "1"] in rows

    response = client.get(reverse("reporting:snapshot_export", args=[monthly.pk, "xlsx"]))
    wb = load_workbook(io.BytesIO(response.content))
    regions = wb["Regioner"]
    assert [c.value for c in regions[1]][:3] == ["Region", "Bosatt i måneden", "Bosatt hittil i år"]
    vest = next(row for row in regions.iter_rows(values_only=True) if row[0] == "Vest")
    assert vest[1:5] == (0, 4, 5, 5)

    pdf = client.get(reverse("reporting:snapshot_export", args=[monthly.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    goals_csv = client.get(reverse("reporting:snapshot_export", args=[goals.pk, "csv"])).content.decode("utf-8-sig")
    assert "D1.1;Andel flyktninger bosatt innen 6 måneder etter vedtak om opphold;prosent;70.0;80.0;nådd" in goals_csv

    ministry_csv = _client(users["ministry"]).get(reverse("reporting:snapshot_export", args=[monthly.pk, "csv"]))
    assert "Bosatt i måneden;<5" in ministry_csv.content.decode("utf-8-sig")
    assert client.get(reverse("reporting:snapshot_export", args=[monthly.pk, "docx"])).status_code == 404


def test_running_snapshot_shows_progress_and_status_json(users, snapshots):
    running = ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=5, status=SnapshotStatus.RUNNING,
                                            progress=55, version=1)
    client = _client(users["ministry"])
    page = client.get(reverse("reporting:snapshot", args=[running.pk])).content.decode()
    assert 'id="progress-card"' in page and "width:55%" in page
    status = client.get(reverse("reporting:snapshot_status", args=[running.pk])).json()
    assert status == {"status": "running", "status_label": "Beregnes", "progress": 55, "error": ""}


def test_order_report_form(users, snapshots, today, django_capture_on_commit_callbacks):
    client = _client(users["admin"])
    response = client.post(reverse("reporting:snapshots"), {"kind": "monthly", "year": today.year + 1, "month": 1})
    assert response.status_code == 400
    assert "Perioden kan ikke være fram i tid." in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reporting:snapshots"), {"kind": "monthly", "year": 2025, "month": 6})
    assert response.status_code == 302
    snapshot = ReportSnapshot.objects.get(kind="monthly", year=2025, month=6, version=2)
    assert snapshot.status == SnapshotStatus.DONE  # eager in tests; a worker runs it in production
    assert _client(users["ministry"]).post(reverse("reporting:snapshots"), {"kind": "goals", "year": 2025}).status_code == 403


def test_admin_enters_indicator_value_through_form(users, snapshots):
    client = _client(users["admin"])
    from reporting.models import Indicator

    d21 = Indicator.objects.get(code="D2.1")
    response = client.post(reverse("reporting:indicator_values"), {"indicator": d21.pk, "year": 2025, "value": "130", "note": "x"})
    assert response.status_code == 400 and "over 100 prosent" in response.content.decode()
    response = client.post(reverse("reporting:indicator_values"), {"indicator": d21.pk, "year": 2025, "value": "88.5", "note": "SSB"})
    assert response.status_code == 302
    assert d21.values.get(year=2025).value == 88.5
    assert _client(users["cw_ost"]).get(reverse("reporting:indicator_values")).status_code == 403
