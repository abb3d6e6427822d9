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
    assert response["Content-Disposition"].endswith('maanedsrapport-2025-06.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert ["Bosatt hittil i år", "10"] in rows
    assert ["Øst", "2", "3", "18", "10", "1", "40,0", "2", "1"] in rows
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
    rows = list(csv.reader(io.StringIO(_export(client_for("cw_ost"), goals, "csv").content.decode("utf-8-sig")), delimiter=";"))
    d11 = next(r for r in rows if len(r) > 1 and r[1] == "D1.1")
    # Both parts of the target, both results and the verdict "partly met"; the evaluation's verdict beside it.
    assert d11[4:9] == ["70,0, resten innen 12 mnd", "80,0", "90,0", "delvis nådd", "ikke nådd"]
    assert "2013: 51,0 (pr. oktober)" in d11[9]
    assert next(r for r in rows if r[:2] == ["D1", ""])[8] == "ikke nådd"  # table 9.1: D1 not reached
    assert any(r and r[0] == "Indikator" and "Hele landet" in r for r in rows)  # process indicators, regions side by side


def test_ministry_exports_print_markers_and_dashes_never_none(client_for, snapshots):
    monthly, goals = snapshots
    client = client_for("ministry")
    for snapshot in (monthly, goals):
        text = _export(client, snapshot, "csv").content.decode("utf-8-sig")
        assert "None" not in text and "Tegn: <5 = 1–4 personer; : = skjult for å hindre tilbakeregning" in text
    rows = list(csv.reader(io.StringIO(_export(client, monthly, "csv").content.decode("utf-8-sig")), delimiter=";"))
    minors = next(r for r in rows if r and r[0] == "Enslige mindreårige" and len(r) == 7)
    assert minors[1:4] == ["<5", "–", "–"]  # one person: count "<5", average and median hidden
    wb = load_workbook(io.BytesIO(_export(client, monthly, "xlsx").content))
    assert all(c.value != "None" for ws in wb for row in ws.iter_rows() for c in row)
    pdf = _export(client, monthly, "pdf")  # "<5" in a PDF paragraph is text, not markup
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_page_api_and_exports_read_the_one_stored_published_version(client_for, snapshots, users):
    from rest_framework.test import APIClient

    monthly, _ = snapshots
    assert monthly.public_figures["national"]["settled_month"] == "<5"
    assert "national.settled_month=<5" in monthly.hidden_cells
    # Whatever is stored is what every channel serves: change it, and all of them follow.
    monthly.public_figures["national"]["settled_ytd"] = ":"
    monthly.save(update_fields=["public_figures"])
    client = client_for("ministry")
    assert "Bosatt hittil i år;:" in _export(client, monthly, "csv").content.decode("utf-8-sig")
    api = APIClient()
    api.force_authenticate(users["ministry"])
    assert api.get(f"/api/v1/report-snapshots/{monthly.pk}/").json()["figures"]["national"]["settled_ytd"] == ":"
    assert 'data-testid="settled-ytd">:<' in client.get(reverse("reporting:snapshot", args=[monthly.pk])).content.decode()
