"""The report as a PDF (reportlab): title, period, version and date made on every page, "Side x av y", the report's
charts (settled against the target, the waiting-time distribution, the queue; assessments for the goal report)
and its tables with figures right-aligned in Norwegian notation (core.formatting). reporting.exports.to_pdf calls it.
"""

import io
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.pdfgen import canvas
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.formatting import number
from core.pdf import fonts as _fonts

from .exports import made_text

BLUE, ORANGE, GREY = colors.HexColor("#1E4E79"), colors.HexColor("#C0580E"), colors.HexColor("#DDE6EF")
MARKERS = ("<5", ":", "–")




def _numbered_canvas(header: str, font: str):
    """A canvas that knows the page count when it draws each page's header and "Side x av y"."""

    class NumberedCanvas(canvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int):
            width, height = self._pagesize
            self.setFont(font, 8)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(30, height - 20, header)
            self.drawRightString(width - 30, 18, f"Side {self._pageNumber} av {total}")
            self.drawString(30, 18, "Integrerings- og mangfoldsdirektoratet (IMDi)")

    return NumberedCanvas


def _numeric(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _cell_text(value) -> str:
    if _numeric(value):
        return number(value, 1 if isinstance(value, float) else 0)
    return "–" if value is None else str(value)


def _right_columns(rows) -> set[int]:
    """Columns holding figures (numbers or the markers printed in their place): right-aligned."""
    out = set()
    for col in range(max((len(r) for r in rows), default=0)):
        values = [r[col] for r in rows if col < len(r) and r[col] not in ("", None)]
        if values and all(_numeric(v) or v in MARKERS for v in values) and any(_numeric(v) for v in values):
            out.add(col)
    return out


def _value(v) -> float | None:
    """A hidden figure ("<5", ":") draws as nothing rather than as a false zero (the tables print the marker)."""
    return float(v) if _numeric(v) else None


def _bar_chart(title: str, labels: list[str], series: list[tuple[str, list]], font: str, width=360, height=190):
    drawing = Drawing(width, height + 30)
    drawing.add(String(0, height + 16, title, fontName=font, fontSize=9))
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, width - 60, height - 40
    chart.data = [[_value(v) for v in values] for _, values in series]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle = 30 if len(labels) > 6 else 0
    chart.categoryAxis.labels.boxAnchor = "ne" if len(labels) > 6 else "n"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda v: number(v)
    for i, color in enumerate((BLUE, ORANGE)[:len(series)]):
        chart.bars[i].fillColor = color
    drawing.add(chart)
    if len(series) > 1:
        drawing.add(_legend(series, font, width - 150, height + 20))
    return drawing


def _line_chart(title: str, labels: list[str], series: list[tuple[str, list]], font: str, width=360, height=190):
    # A line needs two drawn points: a series with fewer (a month with no figures, all hidden) is left out.
    series = [(name, values) for name, values in series if sum(_numeric(v) for v in values) >= 2]
    if not series:
        return None
    drawing = Drawing(width, height + 30)
    drawing.add(String(0, height + 16, title, fontName=font, fontSize=9))
    # A line needs two points: suppressed (hidden) values leave gaps, so a series with fewer than two
    # figures is left out rather than crashing the export.
    series = [(name, values) for name, values in series
              if sum(isinstance(_value(v), (int, float)) for v in values) >= 2]
    if not series:
        drawing.add(String(0, height / 2, "Ingen tall å vise (skjult eller mangler).", fontName=font, fontSize=8))
        return drawing
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 40, 30, width - 60, height - 40
    chart.data = [[_value(v) for v in values] for _, values in series]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = chart.valueAxis.labels.fontName = font
    chart.categoryAxis.labels.fontSize = chart.valueAxis.labels.fontSize = 7
    chart.categoryAxis.labels.angle, chart.categoryAxis.labels.boxAnchor = 30, "ne"
    chart.valueAxis.valueMin = 0
    chart.valueAxis.labelTextFormat = lambda v: number(v)
    for i, color in enumerate((BLUE, ORANGE)[:len(series)]):
        chart.lines[i].strokeColor, chart.lines[i].strokeWidth = color, 2
    chart.lines[1 % max(1, len(series))].strokeDashArray = (4, 2) if len(series) > 1 else None
    drawing.add(chart)
    drawing.add(_legend(series, font, width - 150, height + 20))
    return drawing


def _legend(series, font, x, y):
    legend = Legend()
    legend.x, legend.y, legend.fontName, legend.fontSize = x, y, font, 7
    legend.alignment, legend.columnMaximum, legend.deltay = "right", 3, 9
    legend.colorNamePairs = list(zip((BLUE, ORANGE), [name for name, _ in series]))
    return legend


def _charts(figures: dict, font: str) -> list:
    if figures.get("kind") == "goals":
        counts = figures.get("summary", {}).get("assessments", {})
        labels = {"met": "Nådd", "partly_met": "Delvis nådd", "not_met": "Ikke nådd", "no_data": "Mangler data"}
        return [_bar_chart("Styringsparametere etter vurdering", list(labels.values()),
                           [("Antall", [counts.get(k, 0) for k in labels])], font)]
    series = figures.get("series", [])
    months = [s["label"][:3] for s in series]
    charts = [
        _line_chart("Bosatt hittil i år mot målet (akkumulert)", months, [
            ("Bosatt", [s["cumulative"] for s in series]), ("Mål", [s["target_cumulative"] for s in series])], font),
        _bar_chart("Bosettingsklare som venter, etter ventetid (personer)",
                   [d["label"] for d in figures["wait_times"]["distribution"]],
                   [("Personer", [d["persons"] for d in figures["wait_times"]["distribution"]])], font),
    ]
    queue = (figures.get("outlook") or {}).get("queue") or []
    if queue:
        charts.append(_line_chart("Ventende ved månedsslutt", [q["label"] for q in queue], [
            ("Venter", [q["waiting"] for q in queue]), ("Lengeventende", [q["long_waiting"] for q in queue])], font))
    return charts


def _table(header, rows, styles):
    small, right = styles["small"], styles["small_right"]
    numeric = _right_columns(rows)
    head_style = styles["small_bold"]
    data = [[Paragraph(escape(str(h)), head_style.clone("h", alignment=TA_RIGHT) if i in numeric else head_style)
             for i, h in enumerate(header)]]
    data += [[Paragraph(escape(_cell_text(c)), right if i in numeric else small) for i, c in enumerate(row)] for row in rows]
    # A two-column table (label, value) stays narrow: the figure beside its label, not across the page.
    table = Table(data, repeatRows=1, hAlign="LEFT", colWidths=(320, 90) if len(header) == 2 else None)
    table.setStyle(TableStyle([
        ("BACKGROUND", (0, 0), (-1, 0), GREY),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.grey),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def report_pdf(figures: dict, info: dict, tables: list, legend: str) -> bytes:
    font, font_bold = _fonts()
    base = getSampleStyleSheet()
    styles = {
        "title": base["Title"].clone("t", fontName=font_bold, alignment=0),
        "h2": base["Heading2"].clone("h2", fontName=font_bold, fontSize=12),
        "body": base["BodyText"].clone("b", fontName=font, fontSize=9),
        "small": base["BodyText"].clone("s", fontName=font, fontSize=7, leading=8.5),
        "small_bold": base["BodyText"].clone("sb", fontName=font_bold, fontSize=7, leading=8.5),
    }
    styles["small_right"] = styles["small"].clone("sr", alignment=TA_RIGHT)
    title = f"{info['title']} {info['period']}"
    facts = [f"Periode: {info['period']}"]
    if info.get("version"):
        facts.append(f"Versjon: {info['version']}")
    if info.get("made"):
        facts.append(f"Laget: {made_text(info)}")
    header = " · ".join([f"IMDi – {title}", *facts[1:]])

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title=f"IMDi – {title}", author="IMDi", subject=info["title"],
                            leftMargin=30, rightMargin=30, topMargin=36, bottomMargin=34, lang="nb-NO")
    story = [Paragraph(escape(f"IMDi – {title}"), styles["title"]), Paragraph(escape(" · ".join(facts)), styles["body"]),
             Spacer(1, 8)]
    charts = [c for c in _charts(figures, font) if c is not None]
    for i in range(0, len(charts), 2):
        pair = Table([charts[i:i + 2]], hAlign="LEFT")
        story += [pair, Spacer(1, 6)]
    if charts:
        story += [Paragraph("Diagrammene viser tall fra tabellene nedenfor. Skjulte verdier (&lt;5 og :) er ikke tegnet.",
                            styles["small"]), Spacer(1, 6)]
    for table_title, table_header, rows in tables:
        story += [Paragraph(escape(table_title), styles["h2"]), _table(table_header, rows, styles), Spacer(1, 8)]
    story.append(Paragraph(escape(legend), styles["small"]))
    doc.build(story, canvasmaker=_numbered_canvas(header, font))
    return out.getvalue()
