"""The limits the report benchmarks measure against: every figure the reports compute from settlement rows,
written by hand as single-scan SQL (grouping sets, integer day differences, FILTER clauses), and the same
figures read off the reports' output so that the two can be checked for equality.

Definitions as settlement/definitions.py states them, written again by hand: settled in a period by the person's
settlement date, in a municipality; within N months by the calendar-month key (32 × months + days); waiting at
the month's end when the household was ready by then and neither the person settled nor the household left by
then; long-waiting when more than 6 months (3 for a child under 18 at the permit) since the residence permit;
used places: persons on the year's places settled by the end, or assigned by then and still waiting; the goal
report's target groups: all but unaccompanied minors, families with children, unaccompanied minors aged 15–17.
The benchmark's data has no history rows and no household that left the flow after a placement, so the current
rows are the rows as they stood.
"""

from collections import defaultdict
from datetime import date

from dateutil.relativedelta import relativedelta

WORK_MEM = "64MB"
DAYS_PER_MONTH = 365.25 / 12
GROUP = "CASE WHEN h.category = 'resettlement' THEN 'resettlement' ELSE h.composition END"


def _ymd(d: str) -> tuple[str, str, str]:
    return tuple(f"date_part('{part}', {d})::int" for part in ("year", "month", "day"))


def months_key(later: str, earlier: str) -> str:
    """32 × whole calendar months + difference of the days: > 32·N exactly when more than N months later."""
    (ly, lm, ld), (ey, em, ed) = _ymd(later), _ymd(earlier)
    return f"(32 * (({ly} * 12 + {lm}) - ({ey} * 12 + {em})) + {ld} - {ed})"


def under(age: int) -> str:
    """Under `age` on the day of the residence permit."""
    (by, bm, bd), (py, pm, pd) = _ymd("p.birth_date"), _ymd("p.residence_permit_date")
    return f"(({by} + {age}) * 10000 + {bm} * 100 + {bd} > {py} * 10000 + {pm} * 100 + {pd})"


# One scan of the year's settled persons: per municipality, per nationality, per (group, days, months key), per month.
SETTLED = f"""
WITH s AS (
  SELECT h.municipality_id AS m, p.nationality AS nat, {GROUP} AS grp, p.settled_on >= %(month_start)s AS in_month,
         date_part('month', p.settled_on)::int AS mon, p.settled_on - p.residence_permit_date AS wait,
         {months_key("p.settled_on", "p.residence_permit_date")} AS mkey
  FROM settlement_person p JOIN settlement_household h ON h.id = p.household_id
  WHERE p.settled_on BETWEEN %(year_start)s AND %(end)s AND h.municipality_id IS NOT NULL)
SELECT GROUPING(m, nat, grp, mon), m, nat, grp, wait, mkey, mon, count(*) FILTER (WHERE in_month), count(*)
FROM s GROUP BY GROUPING SETS ((m), (nat), (grp, wait, mkey), (mon))
"""

# One scan of the persons not settled by the month's end and of those on the year's places: waiting and
# long-waiting per region, nationality and group; assigned and used places per municipality.
NOT_SETTLED = f"""
WITH w AS (
  SELECT h.region_id AS r, h.municipality_id AS m, p.nationality AS nat, {GROUP} AS grp,
         h.settlement_ready_on <= %(end)s AND (p.settled_on IS NULL OR p.settled_on > %(end)s)
           AND (h.exited_on IS NULL OR h.exited_on > %(end)s) AS waiting,
         {months_key("%(end)s::date", "p.residence_permit_date")} > CASE WHEN {under(18)} THEN 96 ELSE 192 END AS long,
         h.settlement_year = %(year)s AND h.municipality_id IS NOT NULL AS on_places,
         h.assigned_on <= %(end)s AS assigned, p.settled_on <= %(end)s AS settled
  FROM settlement_person p JOIN settlement_household h ON h.id = p.household_id
  WHERE p.settled_on IS NULL OR p.settled_on > %(end)s OR h.settlement_year = %(year)s)
SELECT GROUPING(r, nat, grp, m), r, nat, grp, m, count(*) FILTER (WHERE waiting), count(*) FILTER (WHERE waiting AND long),
       count(*) FILTER (WHERE on_places AND assigned AND waiting), count(*) FILTER (WHERE on_places AND settled)
FROM w WHERE waiting OR on_places GROUP BY GROUPING SETS ((r), (nat), (grp), (m))
"""

# Decisions in force at the month's end (the benchmark's decisions have no history: the rows as they are).
DECISIONS = "SELECT municipality_id, places FROM settlement_municipaldecision WHERE year = %(year)s AND decided_on <= %(end)s"

# The goal report: per settlement year and target group, counts within 3/6/12 calendar months and the sum of days.
GOALS = f"""
WITH s AS (
  SELECT date_part('year', p.settled_on)::int AS y, h.composition AS c, h.composition <> 'unaccompanied_minor' OR NOT {under(15)} AS aged,
         p.settled_on - p.residence_permit_date AS wait, {months_key("p.settled_on", "p.residence_permit_date")} AS mkey
  FROM settlement_person p JOIN settlement_household h ON h.id = p.household_id
  WHERE p.settled_on <= %(end)s AND h.municipality_id IS NOT NULL)
SELECT y, c, count(*), count(*) FILTER (WHERE mkey <= 96), count(*) FILTER (WHERE mkey <= 192),
       count(*) FILTER (WHERE mkey <= 384), sum(wait)
FROM s WHERE aged GROUP BY 1, 2
"""


def _run(connection, statements: list[tuple[str, dict]]) -> list[list[tuple]]:
    from django.db import transaction

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        out = []
        for sql, params in statements:
            cur.execute(sql, params)
            out.append(cur.fetchall())
        return out


def monthly_by_hand(connection, year: int, month: int) -> list[list[tuple]]:
    end = (date(year, month, 1) + relativedelta(months=1)) - relativedelta(days=1)
    params = {"year": year, "year_start": date(year, 1, 1), "month_start": date(year, month, 1), "end": end,
              "end3": end - relativedelta(months=3), "end6": end - relativedelta(months=6)}
    return _run(connection, [(SETTLED, params), (NOT_SETTLED, params), (DECISIONS, params)])


def goals_by_hand(connection, year: int) -> list[list[tuple]]:
    return _run(connection, [(GOALS, {"end": date(year, 12, 31)})])


# ---------------------------------------------------------------------------------------------------- figures


def _share(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _stats(hist: dict) -> dict:
    """hist: {(days, months key): persons}."""
    days = defaultdict(int)
    for (d, _), c in hist.items():
        days[d] += c
    n = sum(days.values())
    if not n:
        return {"base": 0}
    ordered, seen, middle = sorted(days.items()), 0, []
    for target in sorted({(n - 1) // 2, n // 2}):
        seen = 0
        for d, c in ordered:
            seen += c
            if seen > target:
                middle.append(d)
                break
    within = {m: sum(c for (_, k), c in hist.items() if k <= 32 * m) for m in (3, 6, 12)}
    return {"base": n, "average_months": round(sum(d * c for d, c in days.items()) / n / DAYS_PER_MONTH, 1),
            "median_months": round(sum(middle) / len(middle) / DAYS_PER_MONTH, 1),
            **{f"share_within_{m}m": _share(w, n) for m, w in within.items()}}


def monthly_figures(raw, month: int, numbers: dict, region_names: dict) -> dict:
    """The comparable figures from the hand-written rows (numbers: municipality id -> number; region id -> name)."""
    settled, not_settled, decisions = raw
    munis = defaultdict(lambda: [0, 0, 0, 0, 0])  # settled month, settled ytd, assigned, used, decided
    nats = defaultdict(lambda: [0, 0, 0, 0])
    month_hist, ytd_hist = defaultdict(lambda: defaultdict(int)), defaultdict(lambda: defaultdict(int))
    per_month, waiting_group, regions = {}, {}, {}
    for g, m, nat, grp, wait, mkey, mon, in_month, ytd in settled:
        if m is not None:
            munis[numbers[m]][0:2] = [in_month, ytd]
        elif nat is not None:
            nats[nat][0:2] = [in_month, ytd]
        elif grp is not None:
            month_hist[grp][(wait, mkey)] += in_month
            ytd_hist[grp][(wait, mkey)] += ytd
        else:
            per_month[mon] = ytd
    for g, r, nat, grp, m, waiting, long, assigned, used_settled in not_settled:
        if g == 0b0111:
            regions[region_names[r]] = (waiting, long)
        elif g == 0b1011:
            nats[nat][2:4] = [waiting, long]
        elif g == 0b1101:
            waiting_group[grp] = (waiting, long)
        elif m is not None:
            munis[numbers[m]][2:4] = [assigned, assigned + used_settled]
    for m, places in decisions:
        munis[numbers[m]][4] = places
    every = defaultdict(int)
    month_all = defaultdict(int)
    for grp in ytd_hist:
        for d, n in ytd_hist[grp].items():
            every[d] += n
            month_all[d] += month_hist[grp][d]
    national = {k: sum(v[i] for v in munis.values()) for i, k in enumerate(("settled_month", "settled_ytd", "assigned", "used", "decided"))}
    national.update(waiting=sum(w for w, _ in waiting_group.values()), long_waiting=sum(lw for _, lw in waiting_group.values()))
    return {
        "national": national,
        "municipalities": {k: tuple(v) for k, v in munis.items() if any(v)},
        "series": [per_month.get(m, 0) for m in range(1, month + 1)],
        "nationalities": {k: tuple(v) for k, v in nats.items() if any(v)},
        "waiting_by_group": {k: v for k, v in waiting_group.items() if any(v)},
        "regions": {k: v for k, v in regions.items() if any(v)},
        "wait_month": _stats({d: n for d, n in month_all.items() if n}),
        "wait_ytd": _stats(every),
        "wait_by_group": {grp: _stats(h) for grp, h in ytd_hist.items()},
    }


def _report_stats(s: dict) -> dict:
    return {k: v for k, v in s.items() if k in ("base", "average_months", "median_months", "share_within_3m",
                                                   "share_within_6m", "share_within_12m") and (s["base"] or k == "base")}


def monthly_from_report(fig: dict) -> dict:
    """The same figures read off monthly_report()'s output."""
    nat = fig["national"]
    return {
        "national": {k: nat[k] for k in ("settled_month", "settled_ytd", "assigned", "used", "decided", "waiting", "long_waiting")},
        "municipalities": {r["number"]: t for r in fig["municipalities"]
                           if any(t := (r["settled_month"], r["settled_ytd"], r["assigned"], r["used"], r["decided"]))},
        "series": [s["settled"] for s in fig["series"] if s["settled"] is not None],
        "nationalities": {r["code"]: t for r in fig["nationalities"]
                          if any(t := (r["settled_month"], r["settled_ytd"], r["waiting"], r["long_waiting"]))},
        "waiting_by_group": {r["group"]: t for r in fig["waiting_by_group"] if any(t := (r["persons"], r["long_waiting"]))},
        "regions": {r["name"]: t for r in fig["regions"] if any(t := (r["waiting"], r["long_waiting"]))},
        "wait_month": _report_stats(fig["wait_times"]["month"]),
        "wait_ytd": _report_stats(fig["wait_times"]["ytd"]),
        "wait_by_group": {r["group"]: _report_stats(r) for r in fig["wait_times"]["by_group"] if r["base"]},
    }


INDICATORS = ("general_within_6m", "general_within_12m", "families_within_3m", "minors_within_3m", "minors_within_6m",
              "average_wait_months", "minors_average_wait_months")


def goal_figures(raw) -> dict:
    """{(computation, year): value} from the hand-written GROUP BY."""
    per_year = defaultdict(dict)
    for y, comp, n, w3, w6, w12, days in raw[0]:  # unaccompanied minors already limited to those aged 15–17
        per_year[y][comp] = (n, w3, w6, w12, int(days))
    out = {}
    for y, comps in per_year.items():
        general = [sum(v[i] for c, v in comps.items() if c != "unaccompanied_minor") for i in range(5)]
        minors = comps.get("unaccompanied_minor", (0, 0, 0, 0, 0))
        families = comps.get("family_with_children", (0, 0, 0, 0, 0))

        def avg(t):
            return round(t[4] / t[0] / DAYS_PER_MONTH, 1) if t[0] else None

        values = {"general_within_6m": _share(general[2], general[0]), "general_within_12m": _share(general[3], general[0]),
                  "families_within_3m": _share(families[1], families[0]), "minors_within_3m": _share(minors[1], minors[0]),
                  "minors_within_6m": _share(minors[2], minors[0]), "average_wait_months": avg(general),
                  "minors_average_wait_months": avg(minors)}
        out.update({(k, y): v for k, v in values.items() if v is not None})
    return out


def goals_from_report(fig: dict, computation_of: dict, years: range) -> dict:
    """The same values read off goal_report()'s trends (computation_of: indicator code -> computation)."""
    out = {}
    for goal in fig["goals"]:
        for ind in goal["indicators"]:
            comp = computation_of.get(ind["code"])
            if comp in INDICATORS:
                out.update({(comp, t["year"]): t["value"] for t in ind["trend"] if t["year"] in years and t["value"] is not None})
    return out


def differences(a: dict, b: dict, path: str = "") -> list[str]:
    """Where two figure trees differ (at most a few lines)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for k in sorted(set(a) | set(b), key=str):
            out += differences(a.get(k), b.get(k), f"{path}/{k}")
        return out[:8]
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return [] if list(a) == list(b) else [f"{path}: {a} != {b}"]
    return [] if a == b else [f"{path}: {a} != {b}"]
