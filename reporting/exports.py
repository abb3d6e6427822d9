"""Report exports: the same tables as CSV, Excel (openpyxl) and PDF (reportlab, in reporting/pdf.py), made for
Norwegian readers: decimal commas in the CSV, number formats in Excel, Norwegian file names."""

import io
import re

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from core import csv as norwegian_csv
from core.formatting import number

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
    return f"{_text(t['target'])}{rest}"


def _text(value) -> str:
    """A figure inside text: 51.0 -> "51,0" (one decimal where it has one), markers and "–" unchanged."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(_v(value))
    return number(value, 1 if isinstance(value, float) else 0)


def _point(t: dict) -> str:
    return f"{t['year']}: {_text(t['value'])}{' (' + t['part_year'] + ')' if t.get('part_year') else ''}"


def _goal_tables(figures: dict) -> list:
    rows = []
    for goal in figures["goals"]:
        evaluation = goal.get("evaluation") or {}
        rows.append([goal["code"], "", goal["label"], "", "", "", "", ASSESSMENTS[goal.get("assessment")],
                     ASSESSMENTS.get(evaluation.get("assessment"), "–"), ""])
        for i in goal["indicators"]:
            sexes = "; ".join(f"{s['label']}: {_text(s['value'])}" for s in i.get("by_sex", []))
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


TITLES = {"monthly": "Månedlig bosettingsrapport", "goals": "Måloppnåelse"}
FILE_NAMES = {"monthly": "maanedsrapport", "goals": "maaloppnaaelse"}  # ASCII: safe in every browser and e-mail
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}


def meta(snapshot) -> dict:
    """What every export says about itself: title, period, version and when the figures were made."""
    return {"title": TITLES.get(snapshot.kind, "Rapport"), "period": snapshot.period_label, "version": snapshot.version,
            "made": snapshot.finished_at or snapshot.created_at}


def _meta(figures: dict, info: dict | None) -> dict:
    info = dict(info or {})
    info.setdefault("title", TITLES.get(figures.get("kind"), "Rapport"))
    info.setdefault("period", figures["period"]["label"])
    info.setdefault("made", None)
    info.setdefault("version", None)
    return info


def made_text(info: dict) -> str:
    made = info.get("made")
    return timezone.localtime(made).strftime("%d.%m.%Y kl. %H:%M") if made else ""


def filename(snapshot, fmt: str) -> str:
    """maanedsrapport-2025-10.pdf, maaloppnaaelse-2025.xlsx; a later version of the same period gets "-v2"."""
    period = f"{snapshot.year}-{snapshot.month:02d}" if snapshot.month else str(snapshot.year)
    version = f"-v{snapshot.version}" if snapshot.version > 1 else ""
    return f"{FILE_NAMES.get(snapshot.kind, 'rapport')}-{period}{version}.{fmt}"


def render(snapshot, figures: dict, fmt: str) -> tuple[bytes, str, str]:
    """The export as (content, content type, file name) for a view to send."""
    info = meta(snapshot)
    content = {"csv": to_csv, "xlsx": to_xlsx, "pdf": to_pdf}[fmt](figures, info)
    return content, CONTENT_TYPES[fmt], filename(snapshot, fmt)


def _cells(rows):
    return [[_v(c) for c in row] for row in rows]


def _about(figures: dict, info: dict | None) -> list[list]:
    info = _meta(figures, info)
    rows = [[f"IMDi – {info['title']} {info['period']}"]]
    if info["version"]:
        rows.append(["Versjon", info["version"]])
    if info["made"]:
        rows.append(["Laget", made_text(info)])
    return rows


def to_csv(figures: dict, info: dict | None = None) -> bytes:
    """Semicolons, decimal commas, a byte-order mark (core.csv): Norwegian Excel reads every figure as a number."""
    buffer = io.StringIO()
    buffer.write(norwegian_csv.BOM)
    writer = norwegian_csv.writer(buffer)
    writer.writerows(_about(figures, info))
    writer.writerow([])
    for title, header, rows in tables(figures):
        writer.writerow([title])
        writer.writerow(header)
        writer.writerows(_cells(rows))
        writer.writerow([])
    writer.writerow([LEGEND])
    return buffer.getvalue().encode("utf-8")


# Excel allows 31 characters and no []:*?/\ in a sheet name: each table gets a short name chosen here, not a cut.
SHEET_NAMES = (
    (r"^Bosetting .* – nasjonalt$", "Nasjonalt"),
    (r"^Resultatkrav", "Resultatkrav"),
    (r"^Ventende over tid", "Ventende over tid"),
    (r"^Samme måned i fjor", "I fjor og prognose"),
    (r"^IMDis prosessindikatorer", "Prosessindikatorer"),
    (r"^Bosettingsklare som venter, etter gruppe", "Venter etter gruppe"),
    (r"^Ventetid hittil i år etter gruppe", "Ventetid etter gruppe"),
    (r"^Måloppnåelse", "Måloppnåelse"),
)
SHEET_MAX = 31


def sheet_names(titles: list[str]) -> list[str]:
    """A short, unique sheet name per table: the chosen name, else the title cut at a word, numbered on a clash."""
    names, used = [], set()
    for title in titles:
        name = next((short for pattern, short in SHEET_NAMES if re.search(pattern, title)), None)
        if name is None:
            name = re.sub(r"[\[\]:*?/\\]", "", title).strip()
            if len(name) > SHEET_MAX:
                name = name[:SHEET_MAX + 1].rsplit(" ", 1)[0].rstrip(" ,–-") or name[:SHEET_MAX]
        base, n = name, 2
        while name.lower() in used:
            suffix = f" ({n})"
            name, n = base[:SHEET_MAX - len(suffix)] + suffix, n + 1
        used.add(name.lower())
        names.append(name)
    return names


INTEGER, DECIMAL, PERCENT = "#,##0", "#,##0.0", "0.0 %"


def _is_percent(header: str, label) -> bool:
    return "(%)" in header or (isinstance(label, str) and "(%)" in label)


def _write_cell(ws, row: int, col: int, value, percent: bool):
    cell = ws.cell(row=row, column=col)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        cell.value = value
        if value in ("<5", ":", "–"):
            cell.alignment = Alignment(horizontal="right")  # a marker stands where its figure would
        return
    if percent:
        cell.value, cell.number_format = value / 100, PERCENT  # a real share: Excel shows 41,7 %
    else:
        cell.value, cell.number_format = value, DECIMAL if isinstance(value, float) else INTEGER


def to_xlsx(figures: dict, info: dict | None = None) -> bytes:
    """One sheet per table: frozen bold header row, thousands and one-decimal percent formats, a sheet about the
    report (title, period, version, date made, each sheet's full title) and the legend."""
    wb = Workbook()
    wb.remove(wb.active)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDE6EF")
    all_tables = tables(figures)
    names = sheet_names([title for title, _, _ in all_tables])
    for name, (title, header, rows) in zip(names, all_tables):
        ws = wb.create_sheet(name)
        ws.append(header)
        for cell in ws[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for r, row in enumerate(_cells(rows), start=2):
            for c, value in enumerate(row, start=1):
                _write_cell(ws, r, c, value, _is_percent(header[c - 1] if c <= len(header) else "", row[0]))
        for i, _ in enumerate(header, start=1):
            width = max(len(str(ws.cell(row=r, column=i).value or "")) for r in range(2, ws.max_row + 1)) if ws.max_row > 1 else 0
            ws.column_dimensions[get_column_letter(i)].width = min(60, max(10, width + 2, min(len(header[i - 1]), 24) + 2))
        ws.freeze_panes = "A2"
    about = wb.create_sheet("Om rapporten")
    for row in _about(figures, info):
        about.append(row)
    about["A1"].font = Font(bold=True, size=13)
    about.append([])
    about.append(["Ark", "Tabell"])
    for cell in about[about.max_row]:
        cell.font = bold
    for name, (title, _, _) in zip(names, all_tables):
        about.append([name, title])
    about.append([])
    about.append([LEGEND])
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 24, 60
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def to_pdf(figures: dict, info: dict | None = None) -> bytes:
    from .pdf import report_pdf  # reportlab loads only when a PDF is asked for

    return report_pdf(figures, _meta(figures, info), tables(figures), LEGEND)
