"""Every figure of a published report reads the same in the API, the CSV, the Excel file and the PDF (issue 10,
"done when"), for IMDi (exact counts) and for the ministry (suppressed): each channel is checked cell by cell
against the report's tables, and the stored figures against a fresh computation of the same period. The figures
themselves are checked against an independent recount in test_recount.py."""

import csv
import io
import json
import re

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from rest_framework.test import APIClient

from django.urls import reverse

from core.formatting import NBSP
from reporting.exports import sheet_names, tables
from reporting.reports import goal_report, monthly_report


def _norm(value):
    """A cell as a comparable value: numbers as floats rounded to one decimal, text stripped, hidden as "–"."""
    if value is None or value == "":
        return "–" if value is None else ""
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return round(float(value), 1)
    text = str(value).strip()
    if re.fullmatch(r"-?\d{1,3}(?:[ \u00a0]\d{3})*(?:,\d+)?", text):
        return round(float(text.replace(NBSP, "").replace(" ", "").replace(",", ".")), 1)
    return text



def _check_csv(content: bytes, expected: list):
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    position = 0
    for title, header, body in expected:
        position = next(i for i in range(position, len(rows)) if rows[i] == [title])
        assert rows[position + 1] == header, title
        for offset, row in enumerate(body, start=2):
            assert [_norm(c) for c in rows[position + offset]] == [_norm(c) for c in row], (title, row[0])
        position += len(body) + 2


def _check_xlsx(content: bytes, expected: list):
    wb = load_workbook(io.BytesIO(content))
    for name, (title, header, body) in zip(sheet_names([t for t, _, _ in expected]), expected):
        ws = wb[name]
        assert [c.value for c in ws[1]] == header, title
        for r, row in enumerate(body, start=2):
            got = []
            for c, want in enumerate(row, start=1):
                cell = ws.cell(row=r, column=c)
                value = cell.value * 100 if cell.number_format == "0.0 %" else cell.value
                got.append(_norm("" if value is None else value))  # Excel keeps no empty text; "–" is written as text
            assert got == [_norm(c) for c in row], (title, row[0])


def _pdf_cell(value) -> str:
    from reporting.pdf import _cell_text

    return _cell_text(value)


def _check_pdf(content: bytes, expected: list):
    """The PDF's text holds every table row's cells in order (a cell may wrap, so the row is matched as a
    sequence of its printed cells in the text with the whitespace taken out)."""
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    flat = re.sub(r"\s+", "", text.replace(NBSP, ""))
    position = 0
    for title, header, body in expected:
        position = flat.index(re.sub(r"\s+", "", title), position)
        for row in body:
            cells = [re.sub(r"\s+", "", _pdf_cell(c).replace(NBSP, "")) for c in row]
            for cell in cells:
                found = flat.find(cell, position)
                assert found >= 0, (title, row[0], cell)
                position = found + len(cell)


@pytest.mark.parametrize("viewer", ["cw_ost", "ministry"])
def test_every_figure_reads_the_same_in_api_csv_excel_and_pdf(snapshots, users, client_for, viewer):
    for snapshot in snapshots:
        api = APIClient()
        api.force_authenticate(users[viewer])
        figures = api.get(f"/api/v1/report-snapshots/{snapshot.pk}/").json()["figures"]
        if viewer == "cw_ost":  # the stored figures are the period's figures computed again now
            fresh = (monthly_report(snapshot.year, snapshot.month) if snapshot.month else goal_report(snapshot.year))
            assert figures == json.loads(json.dumps(fresh, default=str))
        else:
            assert figures == snapshot.public_figures
        expected = tables(figures)
        assert sum(len(body) for _, _, body in expected) > 20
        client = client_for(viewer)
        export = {fmt: client.get(reverse("reporting:snapshot_export", args=[snapshot.pk, fmt])).content
                  for fmt in ("csv", "xlsx", "pdf")}
        _check_csv(export["csv"], expected)
        _check_xlsx(export["xlsx"], expected)
        _check_pdf(export["pdf"], expected)
