"""Monthly settlement report at national scale on PostgreSQL.

Builds (once) a dataset of 356 municipalities and at least 150,000 persons settled over ten years
in its own database (imdi_bench), times `monthly_report` and one hand-written SQL GROUP BY over
the same rows, and prints both with their ratio.

    python benchmarks/bench_monthly_report.py [--persons 150000] [--municipalities 356] [--years 10] [--rebuild]

BENCH_DATABASE_URL overrides the database (default postgres://postgres@127.0.0.1:5432/imdi_bench).
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/imdi_bench")
os.environ["DATABASE_URL"] = DB_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imdi.settings.base")


def ensure_database():
    import environ
    import psycopg2

    cfg = environ.Env.db_url_config(DB_URL)
    conn = psycopg2.connect(dbname="postgres", user=cfg["USER"] or "postgres", host=cfg["HOST"] or "127.0.0.1",
                            port=cfg["PORT"] or 5432, password=cfg["PASSWORD"] or None)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{cfg["NAME"]}"')
    conn.close()


def build(persons_wanted: int, n_municipalities: int, years: int, last_year: int):
    from core.models import County, Municipality, Region
    from core.services import load_reference_data
    from settlement.models import Household, MunicipalDecision, NationalNeed, Person

    from demo.pipeline import clear_demo

    rng = random.Random(356)
    clear_demo()
    load_reference_data()
    counties = list(County.objects.all())
    region_of = {r.code: r for r in Region.objects.all()}
    from core.reference_data import COUNTIES

    county_region = {n: region_of[code] for n, _, code in COUNTIES}
    existing = Municipality.objects.count()
    new = []
    for i in range(max(0, n_municipalities - existing)):
        county = counties[i % len(counties)]
        new.append(Municipality(number=f"{5000 + i}", name=f"Kommune {5000 + i}", county=county,
                                region=county_region[county.number], population=rng.randint(1000, 60000)))
    Municipality.objects.bulk_create(new)
    municipalities = list(Municipality.objects.all()[:n_municipalities])
    first_year = last_year - years + 1
    per_year = persons_wanted // years
    decisions = []
    for y in range(first_year, last_year + 1):
        NationalNeed.objects.create(year=y, adults_and_families=int(per_year * 0.85), unaccompanied_minors=int(per_year * 0.05),
                                    resettlement_refugees=int(per_year * 0.1))
        for m in municipalities:
            decisions.append(MunicipalDecision(municipality=m, year=y, places=rng.randint(5, 2 * per_year // n_municipalities + 5),
                                               unaccompanied_minors=0, decided_on=date(y - 1, 10, 1)))
    MunicipalDecision.objects.bulk_create(decisions, batch_size=5000)

    compositions = [("single_adult", 1, 55), ("family_with_children", 4, 25), ("family_without_children", 2, 8),
                    ("unaccompanied_minor", 1, 7)]
    households, members, total, seq = [], [], 0, 0
    while total < persons_wanted:
        comp, size, _ = rng.choices(compositions, weights=[c[2] for c in compositions])[0]
        size = rng.randint(2, 6) if comp == "family_with_children" else size
        year = rng.randint(first_year, last_year)
        permit = date(year, 1, 1) + timedelta(days=rng.randint(0, 364))
        settled = permit + timedelta(days=int(rng.lognormvariate(5.0, 0.5)))
        m = rng.choice(municipalities)
        ready = settled > date(last_year, 12, 31)
        h = Household(
            status="ready" if ready else "settled", category="unaccompanied_minor" if comp == "unaccompanied_minor" else "reception",
            composition=comp, size=size, region=m.region, waiting_since=permit,
            waiting_target_months=3 if comp in ("unaccompanied_minor", "family_with_children") else 6,
            settlement_ready_on=permit + timedelta(days=14), municipality=None if ready else m,
            settlement_year=None if ready else settled.year, assigned_on=None if ready else settled - timedelta(days=20),
            settled_on=None if ready else settled,
        )
        households.append(h)
        for k in range(size):
            seq += 1
            members.append((h, dict(duf_number=f"{year}{seq:08d}", first_name="N", last_name=str(seq),
                                    birth_date=date(1985, 1, 1) + timedelta(days=rng.randint(0, 9000)), sex=rng.choice("FM"),
                                    nationality=rng.choice(["ERI", "SYR", "SOM", "AFG", "SDN"]), is_head=k == 0,
                                    residence_permit_date=permit, settled_on=None if ready else settled)))
        total += size
    Household.objects.bulk_create(households, batch_size=5000)
    Person.objects.bulk_create([Person(household=h, **data) for h, data in members], batch_size=5000)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return total


HAND_SQL = """
SELECT h.municipality_id,
       count(*) FILTER (WHERE p.settled_on >= %(month_start)s) AS settled_month,
       count(*) AS settled_ytd,
       count(*) FILTER (WHERE p.settled_on - p.residence_permit_date <= 183) AS within_6m
FROM settlement_person p
JOIN settlement_household h ON h.id = p.household_id
WHERE p.settled_on BETWEEN %(year_start)s AND %(end)s AND h.municipality_id IS NOT NULL
GROUP BY h.municipality_id
"""


def timed(fn, runs):
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), result


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=150_000)
    parser.add_argument("--municipalities", type=int, default=356)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rebuild", action="store_true")
    args = parser.parse_args(argv or [])
    ensure_database()
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from core.models import Municipality
    from reporting.reports import monthly_report
    from settlement.models import Person

    call_command("migrate", verbosity=0)
    last_year = 2025
    if args.rebuild or Person.objects.count() < args.persons or Municipality.objects.count() < args.municipalities:
        t0 = time.perf_counter()
        n = build(args.persons, args.municipalities, args.years, last_year)
        print(f"built {n:,} persons in {time.perf_counter() - t0:.1f} s")
    print(f"dataset: {Person.objects.count():,} persons, {Municipality.objects.count()} municipalities, "
          f"{args.years} years, database {connection.settings_dict['NAME']} (PostgreSQL {connection.pg_version // 10000})")

    year, month = last_year, 12
    params = {"year_start": date(year, 1, 1), "month_start": date(year, month, 1), "end": date(year, month, 31)}

    def hand_written():
        with connection.cursor() as cur:
            cur.execute(HAND_SQL, params)
            return cur.fetchall()

    monthly_report(year, month)  # warm the caches of both before timing
    hand_written()
    with CaptureQueriesContext(connection) as ctx:
        figures = monthly_report(year, month)
    report_s, _ = timed(lambda: monthly_report(year, month), args.runs)
    sql_s, rows = timed(hand_written, args.runs)
    assert sum(r[2] for r in rows) == figures["national"]["settled_ytd"], "the two disagree on persons settled"
    print(f"monthly report {month:02d}/{year}: {report_s * 1000:.0f} ms median of {args.runs} "
          f"({len(ctx.captured_queries)} queries, {figures['national']['settled_ytd']:,} persons settled that year)")
    print(f"hand-written SQL GROUP BY:     {sql_s * 1000:.0f} ms median of {args.runs}")
    print(f"ratio report / GROUP BY:       {report_s / sql_s:.1f}x")


if __name__ == "__main__":
    main(sys.argv[1:])
