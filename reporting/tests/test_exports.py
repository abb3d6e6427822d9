"""Report exports: CSV, Excel and PDF carry the snapshot's figures, suppressed for the ministry."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook


def _export(client, snapshot, fmt):
    return client.get(reverse("reporting:snapshot_export", args=[snapshot.pk, fmt]))


def test_monthly_csv(client_for, snapshots):
    monthly, _ = snapshots
    response = _export(client_for("cw_ost"), monthly, "csv")
    assert response["Content-Disposition"].endswith('imdi-monthly-2025-06-v1.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Bosatt hittil i år", "10"] in rows
    assert ["Øst", "2", "3", "18", "10", "1", "40.0", "2", "1"] in rows
    ministry_csv = _export(client_for("ministry"), monthly, "csv").content.decode("utf-8-sig")
    assert "Bosatt i måneden;<5" in ministry_csv


def test_monthly_xlsx_and_pdf(client_for, snapshots):
    monthly, _ = snapshots
    client = client_for("cw_ost")
    wb = load_workbook(io.BytesIO(_export(client, monthly, "xlsx").content))
    regions = wb["Regioner"]
    assert [c.value for c in regions[1]][:3] == ["Region", "Bosatt i måneden", "Bosatt hittil i år"]
    vest = next(row for row in regions.iter_rows(values_only=True) if row[0] == "Vest")
    assert vest[1:5] == (0, 4, 5, 5)
    pdf = _export(client, monthly, "pdf")
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert _export(client, monthly, "docx").status_code == 404


def test_goals_csv(client_for, snapshots):
    _, goals = snapshots
    goals_csv = _export(client_for("cw_ost"), goals, "csv").content.decode("utf-8-sig")
    assert "D1.1;Andel flyktninger bosatt innen 6 måneder etter vedtak om opphold;prosent;70.0;80.0;nådd" in goals_csv
