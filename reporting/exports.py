"""Report exports: the same tables as CSV, Excel (openpyxl) and PDF (reportlab)."""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

DECISION_LABELS = {"more": "flere", "same": "likt", "fewer": "færre", "nothing": "ikke vedtatt", None: ""}


def _v(value):
    return "" if value is None else value


def _met(value):
    return {True: "nådd", False: "ikke nådd", None: ""}[value]


def tables(figures: dict) -> list[tuple[str, list[str], list[list]]]:
    """The report as titled tables: (title, header, rows)."""
    if figures["kind"] == "goals":
        rows = []
        for goal in figures["goals"]:
            for i in goal["indicators"]:
                rows.append([goal["code"], i["code"], i["name"], i["unit_label"], _v(i["target"]), _v(i["actual"]), _met(i["met"]),
                             ", ".join(f"{t['year']}: {t['value']}" for t in i["trend"])])
        return [(f"Måloppnåelse {figures['period']['label']}",
                 ["Delmål", "Kode", "Styringsparameter", "Enhet", "Mål", "Resultat", "Vurdering", "Utvikling"], rows)]
    n = figures["national"]
    wt = figures["wait_times"]
    out = [
        (f"Bosetting {figures['period']['label']} – nasjonalt", ["Mål", "Verdi"], [
            ["Bosatt i måneden", n["settled_month"]], ["Bosatt hittil i år", n["settled_ytd"]],
            ["Behov (Nasjonalt utvalg)", _v(n["need"])], ["Mål hittil i år (behov/12 per måned)", _v(n["target_to_date"])],
            ["Andel av behovet bosatt (%)", _v(n["share_of_need"])], ["Anmodet", n["requested"]], ["Vedtatt", n["decided"]],
            ["Plassbruk (bosatt + søkt ut) / vedtatt (%)", _v(n["place_use"])],
            ["Bosettingsklare som venter", n["waiting"]], ["Herav lengeventende", n["long_waiting"]],
            ["Gjennomsnittlig ventetid i måneden (mnd)", _v(wt["month"]["average_months"])],
            ["Median ventetid i måneden (mnd)", _v(wt["month"]["median_months"])],
            ["Gjennomsnittlig ventetid hittil i år (mnd)", _v(wt["ytd"]["average_months"])],
            ["Median ventetid hittil i år (mnd)", _v(wt["ytd"]["median_months"])],
            ["Kommuner som vedtok flere enn anmodet", n["decisions"]["more"]],
            ["Kommuner som vedtok likt med anmodningen", n["decisions"]["same"]],
            ["Kommuner som vedtok færre", n["decisions"]["fewer"]], ["Kommuner uten vedtak", n["decisions"]["nothing"]],
        ]),
        ("Resultatkrav (tildelingsbrev 2013)", ["Krav", "Mål (%)", "Resultat (%)", "Grunnlag (personer)", "Vurdering"],
         [[t["label"], t["target"], _v(t["actual"]), t["base"], _met(t["met"])] for t in figures["targets"]]),
        ("Bosatt per måned", ["Måned", "Bosatt", "Akkumulert", "Mål akkumulert"],
         [[s["label"], _v(s["settled"]), _v(s["cumulative"]), _v(s["target_cumulative"])] for s in figures["series"]]),
        ("Bosettingsklare som venter, etter gruppe", ["Gruppe", "Personer", "Lengeventende"],
         [[g["label"], g["persons"], g["long_waiting"]] for g in figures["waiting_by_group"]]),
        ("Ventetid hittil i år etter gruppe", ["Gruppe", "Bosatt", "Snitt (mnd)", "Median (mnd)", "Innen 3 mnd (%)", "Innen 6 mnd (%)", "Innen 12 mnd (%)"],
         [[g["label"], g["base"], _v(g["average_months"]), _v(g["median_months"]), _v(g["share_within_3m"]),
           _v(g["share_within_6m"]), _v(g["share_within_12m"])] for g in wt["by_group"]]),
        ("Regioner", ["Region", "Bosatt i måneden", "Bosatt hittil i år", "Anmodet", "Vedtatt", "Søkt ut", "Plassbruk (%)", "Venter", "Lengeventende"],
         [[r["name"], r["settled_month"], r["settled_ytd"], r["requested"], r["decided"], r["assigned"], _v(r["place_use"]),
           r["waiting"], r["long_waiting"]] for r in figures["regions"]]),
        ("Fylker", ["Fylke", "Region", "Bosatt i måneden", "Bosatt hittil i år", "Anmodet", "Vedtatt", "Plassbruk (%)"],
         [[c["name"], c["region"], c["settled_month"], c["settled_ytd"], c["requested"], c["decided"], _v(c["place_use"])]
          for c in figures["counties"]]),
        ("Kommuner", ["Kommunenr", "Kommune", "Fylke", "Region", "Bosatt i måneden", "Bosatt hittil i år", "Anmodet", "Vedtatt",
                      "Vedtak mot anmodning", "Søkt ut", "Plassbruk (%)"],
         [[m["number"], m["name"], m["county"], m["region"], m["settled_month"], m["settled_ytd"], m["requested"],
           m["decided"] if m["has_decision"] else "", DECISION_LABELS[m["decision"]], m["assigned"], _v(m["place_use"])]
          for m in figures["municipalities"]]),
        ("Nasjonalitet", ["Nasjonalitet", "Bosatt i måneden", "Bosatt hittil i år", "Venter", "Lengeventende"],
         [[x["label"], x["settled_month"], x["settled_ytd"], x["waiting"], x["long_waiting"]] for x in figures["nationalities"]]),
    ]
    return out


def to_csv(figures: dict) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 with a byte-order mark
    writer = csv.writer(buffer, delimiter=";")
    for title, header, rows in tables(figures):
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(rows)
        writer.writerow([])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(figures: dict) -> bytes:
    wb = Workbook()
    wb.remove(wb.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6EF")
    for title, header, rows in tables(figures):
        ws = wb.create_sheet(title[:31].replace("/", "-").replace(":", ""))
        ws.append(header)
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
        for row in rows:
            ws.append(row)
        for i, _ in enumerate(header, start=1):
            width = max(len(str(ws.cell(row=r, column=i).value or "")) for r in range(1, ws.max_row + 1))
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, width + 2))
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_pdf(figures: dict) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), title="IMDi bosettingsrapport", leftMargin=30, rightMargin=30)
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7, leading=8)
    story = [Paragraph(f"IMDi – {figures['period']['label']}", styles["Title"])]
    for title, header, rows in tables(figures):
        story.append(Paragraph(title, styles["Heading2"]))
        data = [[Paragraph(str(h), small) for h in header]] + [[Paragraph(str(c), small) for c in row] for row in rows]
        table = Table(data, repeatRows=1)
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE6EF")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story += [table, Spacer(1, 10)]
    doc.build(story)
    return out.getvalue()
