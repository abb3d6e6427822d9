"""Exports Norwegian users can use: CSV read back with Norwegian conventions (";" and decimal comma) gives numbers;
Excel with number formats, deliberate unique sheet names and frozen headers; a PDF with title, period, version,
date made, page numbers, right-aligned figures with decimal commas and charts; Norwegian file names."""

import csv
import io
import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from reportlab.lib.enums import TA_RIGHT
from reportlab.pdfgen import canvas

from reporting import exports, pdf


def _norwegian(text: str) -> Decimal:
    assert "." not in text, text  # a decimal point turns into a date or text in Norwegian Excel
    return Decimal(text.replace(",", "."))


def pdf_title(content: bytes) -> str:
    """The PDF's Title entry (PDFDocEncoding, octal escapes) as text."""
    raw = re.search(rb"/Title \((.*?)\)", content).group(1).decode("latin-1")
    return re.sub(r"\\(\d{3})", lambda m: "–" if m.group(1) == "205" else chr(int(m.group(1), 8)), raw)


def test_file_names_are_norwegian(snapshots):
    monthly, goals = snapshots
    assert [exports.render(monthly, monthly.figures, f)[2] for f in ("csv", "xlsx", "pdf")] == [
        "maanedsrapport-2025-06.csv", "maanedsrapport-2025-06.xlsx", "maanedsrapport-2025-06.pdf"]
    assert exports.filename(goals, "pdf") == "maaloppnaaelse-2025.pdf"
    monthly.version = 2
    assert exports.filename(monthly, "xlsx") == "maanedsrapport-2025-06-v2.xlsx"


def test_csv_decimals_read_back_as_numbers_with_norwegian_conventions(snapshots):
    monthly, goals = snapshots
    content, content_type, _ = exports.render(monthly, monthly.figures, "csv")
    assert content_type.startswith("text/csv") and content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    values = {r[0]: r[1] for r in rows if len(r) == 2}
    n = monthly.figures["national"]
    assert isinstance(n["share_of_need"], float) and "," in values["Andel av behovet bosatt (%)"]
    assert _norwegian(values["Andel av behovet bosatt (%)"]) == Decimal(str(n["share_of_need"]))
    assert _norwegian(values["Plassbruk (bosatt + søkt ut) / vedtatt (%)"]) == Decimal(str(n["place_use"]))
    assert _norwegian(values["Bosatt hittil i år"]) == n["settled_ytd"]
    ost = next(r for r in rows if r[:1] == ["Øst"])
    region = next(r for r in monthly.figures["regions"] if r["name"] == "Øst")
    assert [_norwegian(c) for c in ost[1:]] == [Decimal(str(region[k])) for k in (
        "settled_month", "settled_ytd", "requested", "decided", "assigned", "place_use", "waiting", "long_waiting")]
    assert "," in ost[6]
    assert rows[0] == ["IMDi – Månedlig bosettingsrapport juni 2025"] and ["Versjon", "1"] in rows
    goal_rows = list(csv.reader(io.StringIO(exports.to_csv(goals.figures).decode("utf-8-sig")), delimiter=";"))
    d11 = next(r for r in goal_rows if len(r) > 1 and r[1] == "D1.1")
    assert d11[4:7] == ["70,0, resten innen 12 mnd", "80,0", "90,0"]
    assert "2013: 51,0 (pr. oktober)" in d11[9]


def test_sheet_names_are_short_unique_and_chosen_not_cut():
    titles = ["Ventetid hittil i år etter gruppe", "Bosettingsklare som venter, etter gruppe",
              "Samme måned i fjor (juni 2024) og prognose for året", "Regioner", "Regioner",
              "En veldig lang tabelltittel som ingen har valgt et navn for: del [1]"]
    names = exports.sheet_names(titles)
    assert names[:5] == ["Ventetid etter gruppe", "Venter etter gruppe", "I fjor og prognose", "Regioner", "Regioner (2)"]
    assert names[5] == "En veldig lang tabelltittel som"
    assert all(len(n) <= 31 for n in names) and len({n.lower() for n in names}) == len(names)


def test_xlsx_number_formats_frozen_headers_and_about_sheet(snapshots):
    monthly, _ = snapshots
    wb = load_workbook(io.BytesIO(exports.render(monthly, monthly.figures, "xlsx")[0]))
    assert "Ventetid etter gruppe" in wb.sheetnames and "Nasjonalt" in wb.sheetnames
    assert all(len(n) <= 31 for n in wb.sheetnames) and len(set(wb.sheetnames)) == len(wb.sheetnames)
    national = wb["Nasjonalt"]
    assert national.freeze_panes == "A2"
    cells = {row[0].value: row[1] for row in national.iter_rows(min_row=2)}
    share = cells["Andel av behovet bosatt (%)"]
    n = monthly.figures["national"]
    assert share.value == pytest.approx(n["share_of_need"] / 100) and share.number_format == "0.0 %"
    assert cells["Bosatt hittil i år"].value == n["settled_ytd"] and cells["Bosatt hittil i år"].number_format == "#,##0"
    assert cells["Gjennomsnittlig ventetid i måneden (mnd)"].number_format == "#,##0.0"
    regions = wb["Regioner"]
    header = [c.value for c in regions[1]]
    place_use = header.index("Plassbruk (%)") + 1
    ost = next(row for row in regions.iter_rows(min_row=2) if row[0].value == "Øst")
    place = next(r for r in monthly.figures["regions"] if r["name"] == "Øst")["place_use"]
    assert ost[place_use - 1].value == pytest.approx(place / 100) and ost[place_use - 1].number_format == "0.0 %"
    about = [[c.value for c in row] for row in wb["Om rapporten"].iter_rows()]
    assert about[0] == ["IMDi – Månedlig bosettingsrapport juni 2025", None] and ["Versjon", 1] in about
    assert ["Ventetid etter gruppe", "Ventetid hittil i år etter gruppe"] in about


def test_pdf_title_period_version_date_page_numbers(snapshots, monkeypatch):
    monthly, goals = snapshots
    drawn = []
    for name in ("drawString", "drawRightString"):
        original = getattr(canvas.Canvas, name)
        monkeypatch.setattr(canvas.Canvas, name, lambda self, x, y, text, *a, _o=original, **k: (drawn.append(text), _o(self, x, y, text, *a, **k))[1])
    content, content_type, name = exports.render(monthly, monthly.figures, "pdf")
    assert content_type == "application/pdf" and content.startswith(b"%PDF") and name == "maanedsrapport-2025-06.pdf"
    assert pdf_title(content) == "IMDi – Månedlig bosettingsrapport juni 2025"
    pages = [t for t in drawn if t.startswith("Side ")]
    total = len(pages)
    assert total > 1 and pages[0] == f"Side 1 av {total}" and pages[-1] == f"Side {total} av {total}"
    header = next(t for t in drawn if t.startswith("IMDi – "))
    assert re.fullmatch(r"IMDi – Månedlig bosettingsrapport juni 2025 · Versjon: 1 · Laget: \d\d\.\d\d\.\d{4} kl\. \d\d:\d\d", header)
    assert pdf_title(exports.to_pdf(goals.figures)) == "IMDi – Måloppnåelse 2025"


def test_pdf_figures_right_aligned_with_decimal_commas_and_charts(snapshots):
    monthly, _ = snapshots
    title, header, rows = next(t for t in exports.tables(monthly.figures) if t[0] == "Regioner")
    table = pdf._table(header, rows, {"small": _style(), "small_right": _style(TA_RIGHT), "small_bold": _style()})
    ost = next(r for r in table._cellvalues if r[0].text == "Øst")
    figures = next(r for r in rows if r[0] == "Øst")
    assert [p.text for p in ost[1:]] == [f"{v:.1f}".replace(".", ",") if isinstance(v, float) else str(v) for v in figures[1:]]
    assert ost[6].text == f"{figures[6]:.1f}".replace(".", ",") and "," in ost[6].text  # place use: decimal comma
    assert {p.style.alignment for p in ost[1:]} == {TA_RIGHT} and ost[0].style.alignment != TA_RIGHT
    assert pdf._cell_text(1234567.25) == "1\u00a0234\u00a0567,2" or pdf._cell_text(1234567.25) == "1\u00a0234\u00a0567,3"
    charts = pdf._charts(monthly.figures, "Helvetica")
    titles = [d.contents[0].text for d in charts]
    assert titles[:2] == ["Bosatt hittil i år mot målet (akkumulert)", "Bosettingsklare som venter, etter ventetid (personer)"]
    distribution = charts[1].contents[1].data[0]
    assert distribution == [5.0, 3.0, 1.0, 0.0, 1.0]


def _style(alignment=0):
    from reportlab.lib.styles import getSampleStyleSheet

    return getSampleStyleSheet()["BodyText"].clone("x", alignment=alignment)


def test_pdf_of_a_period_with_too_few_points_for_a_line(snapshots):
    """A line chart needs two points: with one month's figure (or all hidden) the chart leaves the line out."""
    monthly, _ = snapshots
    figures = monthly.figures
    for i, s in enumerate(figures["series"]):
        s["cumulative"] = 3 if i == 0 else None
        s["target_cumulative"] = None
    for q in figures["outlook"]["queue"]:
        q["waiting"] = q["long_waiting"] = "<5"
    content = exports.to_pdf(figures)
    assert content.startswith(b"%PDF")
    titles = [d.contents[0].text for d in pdf._charts(figures, "Helvetica") if d is not None]
    assert titles == ["Bosettingsklare som venter, etter ventetid (personer)"]
