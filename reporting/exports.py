"""Report exports: the same tables as CSV, Excel (openpyxl) and PDF (reportlab)."""

import csv
import io
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

DECISION_LABELS = {"more": "flere", "same": "likt", "fewer": "færre", "nothing": "ikke vedtatt", None: ""}


ASSESSMENTS = {"met": "nådd", "partly_met": "delvis nådd", "not_met": "ikke nådd", "no_data": "mangler data", None: "–"}


def _v(value):
    """A cell as printed: a hidden derived figure (None) as "–"; "<5" and ":" stay as the markers they are."""
    return "–" if value is None else value


def _met(value):
    return {True: "nådd", False: "ikke nådd", None: "–"}[value]


def _target(t: dict) -> str:
    if t.get("target") is None:
        return "–"
    rest = f", resten innen {t['rest_within_months']} mnd" if t.get("rest_within_months") else ""
    return f"{t['target']}{rest}"


def _point(t: dict) -> str:
    return f"{t['year']}: {_v(t['value'])}{' (' + t['part_year'] + ')' if t.get('part_year') else ''}"


def _goal_tables(figures: dict) -> list:
    rows = []
    for goal in figures["goals"]:
        evaluation = goal.get("evaluation") or {}
        rows.append([goal["code"], "", goal["label"], "", "", "", "", ASSESSMENTS[goal.get("assessment")],
                     ASSESSMENTS.get(evaluation.get("assessment"), "–"), ""])
        for i in goal["indicators"]:
            sexes = "; ".join(f"{s['label']}: {_v(s['value'])}" for s in i.get("by_sex", []))
            rows.append([goal["code"], i["code"], i["name"] + (f" ({sexes})" if sexes else ""), i["unit_label"], _target(i),
                         _v(i["actual"]), _v(i.get("rest_actual")), ASSESSMENTS[i.get("assessment")],
                         ASSESSMENTS.get((i.get("evaluation") or {}).get("assessment"), "–"),
                         ", ".join(_point(t) for t in i["trend"])])
    return [(f"Måloppnåelse {figures['period']['label']}",
             ["Delmål", "Kode", "Styringsparameter", "Enhet", "Mål (%/antall)", "Resultat", "Resten innen fristen (%)",
              "Vurdering", "Evalueringen (tabell 9.1)", "Utvikling"], rows), *_process_tables(figures)]


def _process_tables(figures: dict) -> list:
    p = figures.get("process")
    if not p:
        return []
    rows = [[f"{s['label']} (snitt dager)", *[_v(v["average_days"]) for v in s["values"]]] for s in p["steps"]]
    rows += [[f"{s['label']} (median dager)", *[_v(v["median_days"]) for v in s["values"]]] for s in p["steps"]]
    rows += [["Svar fra kommunene", *p["answers"]], ["Avslag", *p["declined"]], ["Avslagsandel (%)", *map(_v, p["decline_rate"])]]
    rows += [[f"Avslagsgrunn: {r['label']}", *r["values"]] for r in p["reasons"]]
    return [("IMDis prosessindikatorer per region", ["Indikator", *p["columns"]], rows)]


def _outlook_tables(figures: dict) -> list:
    o = figures.get("outlook")
    if not o:
        return []
    last, fc = o["last_year"], o["forecast"]
    return [
        ("Ventende over tid (ved månedsslutt)", ["Måned", "Venter", "Lengeventende"],
         [[q["label"], q["waiting"], q["long_waiting"]] for q in o["queue"]]),
        (f"Samme måned i fjor ({last['label']}) og prognose for året", ["Mål", "Verdi"], [
            ["Bosatt i måneden i fjor", last["settled_month"]], ["Bosatt hittil i fjor", last["settled_ytd"]],
            ["Ventende ved månedsslutt i fjor", last["waiting"]], ["Prognose bosatt i år (" + fc["method"] + ")", _v(fc["forecast"])],
            ["Behov", _v(fc["need"])], ["Prognose minus behov", _v(fc["gap"])],
            ["Prognose i prosent av behovet", _v(fc["forecast_share_of_need"])]]),
    ]


def tables(figures: dict) -> list[tuple[str, list[str], list[list]]]:
    """The report as titled tables: (title, header, rows)."""
    if figures["kind"] == "goals":
        return _goal_tables(figures)
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
        ("Resultatkrav (tildelingsbrevet)", ["Kode", "Krav", "Mål (%)", "Innen (mnd)", "Resultat (%)", "Resten innen (mnd)",
                                             "Resultat resten (%)", "Grunnlag (personer)", "Vurdering"],
         [[t.get("code", ""), t["label"], t["target"], _v(t.get("within_months")), _v(t["actual"]),
           _v(t.get("rest_within_months")), _v(t.get("rest_actual")), t["base"], ASSESSMENTS.get(t.get("assessment"), _met(t["met"]))]
          for t in figures["targets"]]),
        *_outlook_tables(figures),
        *_process_tables(figures),
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


LEGEND = "Tegn: <5 = 1–4 personer; : = skjult for å hindre tilbakeregning; – = ikke beregnet eller skjult"


def _cells(rows):
    return [[_v(c) for c in row] for row in rows]


def to_csv(figures: dict) -> bytes:
    buffer = io.StringIO()
    buffer.write("\ufeff")  # Excel reads UTF-8 with a byte-order mark
    writer = csv.writer(buffer, delimiter=";")
    for title, header, rows in tables(figures):
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(_cells(rows))
        writer.writerow([])
    writer.writerow([LEGEND])
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
        for row in _cells(rows):
            ws.append(row)
        for i, _ in enumerate(header, start=1):
            width = max(len(str(ws.cell(row=r, column=i).value or "")) for r in range(1, ws.max_row + 1))
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, width + 2))
        ws.freeze_panes = "A2"
    out = io.BytesIO()
    wb.create_sheet("Tegnforklaring").append([LEGEND])
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
        data = [[Paragraph(str(h), small) for h in header]] + [[Paragraph(escape(str(c)), small) for c in row] for row in _cells(rows)]
        table = Table(data, repeatRows=1)
        table.setStyle(TableStyle([
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDE6EF")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.grey),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]))
        story += [table, Spacer(1, 10)]
    story.append(Paragraph(escape(LEGEND), small))
    doc.build(story)
    return out.getvalue()
