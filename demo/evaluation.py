"""The reproduction check: the demo as of 31 October 2013 against the 2014 evaluation's figures.

Every demo figure comes from the reporting app's own reports (monthly_report, goal_report), so the check measures
what the reports show. Counts of persons are the evaluation's whole-country figures times the scale.
"""

from dataclasses import dataclass
from datetime import date

from reporting.reference import load_indicators
from reporting.reports import goal_report, monthly_report
from settlement.models import NationalNeed, RequestedPlaces

from . import calibration as cal

AS_OF = date(2013, 10, 31)
OFFICE_NAMES = {"ost": "Øst", "vest": "Vest", "nord": "Nord", "midt": "Midt", "indre-ost": "Indre Øst", "sor": "Sør"}


@dataclass
class Row:
    label: str
    source: str  # line(s) in the evaluation, or a note where it gives no figure
    evaluation: float | None
    demo: float | None
    unit: str = ""  # "%" for shares (difference in percentage points), "mnd" for months, "" for counts

    @property
    def difference(self):
        if self.evaluation is None or self.demo is None:
            return None
        return self.demo - self.evaluation

    @property
    def relative(self):
        d = self.difference
        return None if d is None or self.unit or not self.evaluation else d / self.evaluation


def _indicator(report: dict, code: str) -> dict[int, float]:
    ind = next(i for g in report["goals"] for i in g["indicators"] if i["code"] == code)
    return {t["year"]: t["value"] for t in ind["trend"]}


def evaluation_rows(scale: float) -> list[Row]:
    """The comparison on the demo data in the database (built as of 31 October 2013)."""
    load_indicators()
    rows = []
    oct13, dec12 = monthly_report(2013, 10), monthly_report(2012, 12)
    need = {n.year: n.total for n in NationalNeed.objects.all()}
    rows.append(Row("Bosettingsbehov 2013", "l. 908", 9500 * scale, need.get(2013)))
    rows.append(Row("Behov minus bosatt 2012", "l. 920-922", 2000 * scale, need.get(2012, 0) - dec12["national"]["settled_ytd"]))
    rows.append(Row("Behov minus bosatt 2013 (jan-okt x 12/10)", "l. 922", 2800 * scale,
                    round(need.get(2013, 0) - oct13["national"]["settled_ytd"] * 12 / 10)))
    by_region = {r["name"]: r["settled_ytd"] for r in oct13["regions"]}
    for code, n in cal.SETTLED_JAN_OCT_2013.items():
        rows.append(Row(f"Bosatt jan-okt 2013, IMDi {OFFICE_NAMES[code]}", "fotnote 48, l. 6470", n * scale,
                        by_region.get(OFFICE_NAMES[code])))
    rows.append(Row("Bosatt jan-okt 2013, hele landet", "fotnote 48, l. 6470",
                    sum(cal.SETTLED_JAN_OCT_2013.values()) * scale, oct13["national"]["settled_ytd"]))
    goals = goal_report(2013)
    within, average = _indicator(goals, "D1.1"), _indicator(goals, "D1.6")
    minors_within, minors_average = _indicator(goals, "D1.4"), _indicator(goals, "D1.7")
    rows += [
        Row("Bosatt innen 6 mnd 2011", "tabell 9.1, l. 6662 (60-70 %)", 65.0, within.get(2011), "%"),
        Row("Bosatt innen 6 mnd 2012", "tabell 9.1, l. 6662", 61.0, within.get(2012), "%"),
        Row("Bosatt innen 6 mnd 2013 (jan-okt)", "tabell 9.1, l. 6663", 51.0, within.get(2013), "%"),
        Row("Gjennomsnittlig ventetid 2011", "ikke oppgitt (4,8 i 2006)", None, average.get(2011), "mnd"),
        Row("Gjennomsnittlig ventetid 2012", "tabell 9.1, l. 6664-6666", 6.7, average.get(2012), "mnd"),
        Row("Gjennomsnittlig ventetid 2013 (jan-okt)", "ikke oppgitt", None, average.get(2013), "mnd"),
        Row("Enslige mindreårige innen 3 mnd 2012", "tabell 9.1, l. 6674", 63.0, minors_within.get(2012), "%"),
        Row("Enslige mindreårige innen 3 mnd 2013 (jan-okt)", "tabell 9.1, l. 6675", 76.0, minors_within.get(2013), "%"),
        Row("Ventetid enslige mindreårige 2012", "tabell 9.1, l. 6676-6677", 3.3, minors_average.get(2012), "mnd"),
    ]
    groups = {g["group"]: g["persons"] for g in dec12["waiting_by_group"]}
    rows.append(Row("Enslige voksne blant bosettingsklare 31.12.2012", "l. 912-913 (enslige)", 71.0,
                    round(100 * groups.get("single_adult", 0) / (dec12["national"]["waiting"] or 1), 1), "%"))
    queue = {(6, 2012): cal.QUEUE["2012-06-30"], (6, 2013): cal.QUEUE["2013-06-30"]}
    for year, month in [(2012, 6), (2012, 12), (2013, 3), (2013, 6), (2013, 9)]:
        report = oct13 if (year, month) == (2013, 10) else monthly_report(year, month)
        ready, long_waiting = queue.get((month, year), (None, None))
        source = "l. 2523-2529" if ready else "ikke oppgitt"
        label = f"{report['period']['end'][8:10]}.{month:02d}.{year}"
        rows.append(Row(f"Bosettingsklare {label}", source, ready and ready * scale, report["national"]["waiting"]))
        rows.append(Row(f"  herav lengeventende {label}", source, long_waiting and long_waiting * scale,
                        report["national"]["long_waiting"]))
    for year, line in ((2012, "l. 926"), (2013, "l. 926-928")):
        asked = RequestedPlaces.objects.filter(year=year).values("municipality").distinct().count()
        rows.append(Row(f"Kommuner anmodet {year}", line, 285 if year == 2012 else 428, asked))
    decisions = oct13["national"]["decisions"]
    rows.append(Row("Kommuner som vedtok færre enn anmodet 2013", "l. 2460 («færre enn anmodet»)", None,
                    round(100 * decisions["fewer"] / (sum(decisions.values()) or 1), 1), "%"))
    return rows


def _fmt(value, unit):
    if value is None:
        return "—"
    if unit:
        return f"{value:.1f}".replace(".", ",")
    return f"{round(value):,}".replace(",", " ")


def format_table(rows: list[Row]) -> str:
    header = f"{'Tall':<48} {'Kilde':<30} {'Evaluering':>11} {'Demo':>9} {'Forskjell':>14}"
    lines = [header, "-" * len(header)]
    for r in rows:
        diff = r.difference
        if diff is None:
            shown = "—"
        elif r.unit == "%":
            shown = f"{diff:+.1f} pp".replace(".", ",")
        elif r.unit:
            shown = f"{diff:+.1f} {r.unit}".replace(".", ",")
        else:
            shown = f"{diff:+.0f} ({100 * r.relative:+.0f} %)" if r.relative is not None else f"{diff:+.0f}"
        lines.append(f"{r.label:<48} {r.source:<30} {_fmt(r.evaluation, r.unit):>11} {_fmt(r.demo, r.unit):>9} {shown:>14}")
    return "\n".join(lines)
