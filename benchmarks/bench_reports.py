"""Monthly and goal-achievement reports at national scale on PostgreSQL, each next to its limit.

Per size (150,000 and 1,500,000 persons by default; 356 municipalities of the 2020 structure, ten years), in one
run: `monthly_report` against all of its figures written by hand as two single-scan SQL statements (plus the
year's decisions) with work_mem 64 MB, and `goal_report` against one summarising GROUP BY, computing every year
and with the years before frozen (as the current year's snapshot reads them); min–median of
BENCH_RUNS (default 5) runs each, the report's query count, and a check that both give identical figures.
Goals (issue 14): monthly report ≤ 1.5× its limit, goal report ≤ 2×.

    python benchmarks/bench_reports.py [--persons 150000 1500000] [--runs 5] [--rebuild]

Each size is its own cached database (imdi_bench_150k, imdi_bench_1500k on BENCH_DATABASE_URL's server, default
postgres://postgres@127.0.0.1:5432/imdi_bench), built with COPY when missing. BENCH_REPORT_PERSONS (comma
separated) sets the sizes: BENCH_REPORT_PERSONS=150000 skips the 1.5 M build (about 2 minutes the first time).

Besides the Markdown table, each ratio is printed as a `LIMIT` line for benchmarks/run.py's summary. Timings on a
shared machine are noisy: run it alone (`nice` the rest), and compare ratios, which both sides of share.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LIMITS = {"monthly": 1.5, "goals": 2.0, "goals_frozen": 2.0}
KINDS = (("monthly", "monthly report 12/2025"), ("goals", "goal report 2025"),
         ("goals_frozen", "goal report 2025, 2016–2024 frozen"))
YEAR, MONTH = 2025, 12


def timed(fn, runs: int) -> tuple[list[float], object]:
    fn()  # warm caches and plans
    times, result = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return times, result


def worker(persons: int, runs: int, rebuild: bool) -> dict:
    """In a process of its own: Django on this size's database."""
    from benchmarks import national_data

    os.environ["DATABASE_URL"] = national_data.database_url(persons)
    os.environ["DJANGO_SETTINGS_MODULE"] = "imdi.settings.base"
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from benchmarks import report_sql
    from core.models import Municipality, Region
    from reporting.models import Indicator
    from settlement.models import Person

    built = national_data.ensure(persons, rebuild)
    from reporting.reports import goal_report, monthly_report

    numbers = dict(Municipality.objects.values_list("id", "number"))
    region_names = dict(Region.objects.values_list("id", "name"))
    computation_of = dict(Indicator.objects.values_list("code", "computation"))
    out = {"persons": Person.objects.count(), "built": built,
           "municipalities": Municipality.objects.valid_on(national_data.STRUCTURE).count()}

    with CaptureQueriesContext(connection) as ctx:
        monthly_report(YEAR, MONTH)
    report_t, report = timed(lambda: monthly_report(YEAR, MONTH), runs)
    hand_t, raw = timed(lambda: report_sql.monthly_by_hand(connection, YEAR, MONTH), runs)
    diff = report_sql.differences(report_sql.monthly_from_report(report),
                                  report_sql.monthly_figures(raw, MONTH, numbers, region_names))
    out["monthly"] = {"report": report_t, "queries": len(ctx.captured_queries), "limit": hand_t, "diff": diff,
                      "settled_ytd": report["national"]["settled_ytd"]}

    with CaptureQueriesContext(connection) as ctx:
        goal_report(YEAR)
    report_t, report = timed(lambda: goal_report(YEAR), runs)
    hand_t, raw = timed(lambda: report_sql.goals_by_hand(connection, YEAR), runs)
    years = range(national_data.FIRST_YEAR, YEAR + 1)
    theirs = report_sql.goals_from_report(report, computation_of, years)
    # Only the measures the report gives values for (a measure it no longer computes is not a wrong figure).
    shown = {comp for comp, _ in theirs}
    mine = {k: v for k, v in report_sql.goal_figures(raw).items() if k[1] in years and k[0] in shown}
    diff = report_sql.differences(theirs, mine) + ([] if theirs else ["no computed value in the report"])
    out["goals"] = {"report": report_t, "queries": len(ctx.captured_queries), "limit": hand_t, "diff": diff,
                    "values": len(mine), "measures": sorted(shown)}

    # The same report with the years before frozen (reporting.services.frozen_goal_years, as a snapshot of the
    # current year reads them): only 2025 is computed. Against the same hand-written statement over every year.
    from reporting.reports.goals import summary_rows

    frozen = {}
    for row in summary_rows(None, YEAR - 1):
        frozen.setdefault(row.pop("y"), []).append(row)
    with CaptureQueriesContext(connection) as ctx:
        goal_report(YEAR, frozen=frozen)
    frozen_t, frozen_report = timed(lambda: goal_report(YEAR, frozen=frozen), runs)
    diff = report_sql.differences(report_sql.goals_from_report(frozen_report, computation_of, years), theirs)
    out["goals_frozen"] = {"report": frozen_t, "queries": len(ctx.captured_queries), "limit": hand_t, "diff": diff}
    return out


def ms(times: list[float]) -> str:
    return f"{min(times) * 1000:,.0f}–{statistics.median(times) * 1000:,.0f}"


def table(results: list[dict]) -> list[str]:
    lines = ["| report | persons | report ms (min–median) | queries | limit: hand-written SQL ms | ratio (median) | goal | "
             "within goal | same figures |", "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for r in results:
        for kind, label in KINDS:
            f = r[kind]
            ratio = statistics.median(f["report"]) / statistics.median(f["limit"])
            lines.append(f"| {label} | {r['persons']:,} | {ms(f['report'])} | {f['queries']} | {ms(f['limit'])} | "
                         f"{ratio:.2f}× | ≤ {LIMITS[kind]}× | {'yes' if ratio <= LIMITS[kind] else '**no**'} | "
                         f"{'identical' if not f['diff'] else '**differ**'} |")
    return lines


def limit_lines(results: list[dict]) -> list[str]:
    out = []
    for r in results:
        for kind, label in KINDS:
            f = r[kind]
            ratio = statistics.median(f["report"]) / statistics.median(f["limit"])
            out.append("LIMIT " + json.dumps({"bench": "reports", "figure": f"{label}, {r['persons']:,} persons: × hand-written SQL",
                                              "value": round(ratio, 3), "limit": LIMITS[kind], "unit": "×"}))
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = [int(n) for n in os.environ.get("BENCH_REPORT_PERSONS", "150000,1500000").split(",") if n.strip()]
    parser.add_argument("--persons", type=int, nargs="+", default=default)
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 5)))
    parser.add_argument("--rebuild", action="store_true")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv or [])
    if args.worker:
        print("RESULT " + json.dumps(worker(args.worker, args.runs, args.rebuild)), flush=True)
        return
    results = []
    for persons in args.persons:
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", str(persons), "--runs", str(args.runs)]
        proc = subprocess.run(cmd + (["--rebuild"] if args.rebuild else []), cwd=ROOT, capture_output=True, text=True)
        line = next((x for x in proc.stdout.splitlines() if x.startswith("RESULT ")), None)
        if proc.returncode or not line:
            print(f"{persons:,} persons failed:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}")
            continue
        r = json.loads(line[7:])
        results.append(r)
        print(f"{r['persons']:,} persons, {r['municipalities']} municipalities (2020 structure), "
              f"{r['built'] or 'cached database reused'}", flush=True)
        print(f"  goal report: {r['goals']['values']} values compared ({', '.join(r['goals']['measures'])})")
        for kind, _ in KINDS:
            for d in r[kind]["diff"]:
                print(f"  {kind} differs: {d}")
    print()
    print("\n".join(table(results)))
    for line in limit_lines(results):
        print(line)


if __name__ == "__main__":
    main(sys.argv[1:])
