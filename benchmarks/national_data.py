"""A national-scale dataset for the report benchmarks, bulk-loaded with COPY into its own PostgreSQL database.

356 municipalities (the 2020 structure, `Municipality.objects.valid_on(2020-01-01)`), ten years of settlement
(2016–2025) with a year's national need and every municipality's decision each year, and households with
their persons: settled, waiting (ready or assigned at the end of 2025) and a few who left the flow. The
database is kept between runs and rebuilt only when it does not hold the wanted number of persons.
"""

import io
import os
import random
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/imdi_bench")
FIRST_YEAR, LAST_YEAR = 2016, 2025
STRUCTURE = date(2020, 1, 1)
MARKER = "bench_dataset"  # a comment on the person table: "<persons> <seed>" once a build has finished


def database_url(persons: int) -> str:
    """imdi_bench_150k, imdi_bench_1500k, ...: one database per size, so both sizes stay cached."""
    suffix = f"{persons // 1000}k" if persons % 1000 == 0 else str(persons)
    return f"{BASE_URL}_{suffix}"


def _admin_connection(url: str):
    import environ
    import psycopg2

    cfg = environ.Env.db_url_config(url)
    conn = psycopg2.connect(dbname="postgres", user=cfg["USER"] or "postgres", host=cfg["HOST"] or "127.0.0.1",
                            port=cfg["PORT"] or 5432, password=cfg["PASSWORD"] or None)
    conn.autocommit = True
    return conn, cfg["NAME"]


def create_database(url: str, drop: bool = False):
    conn, name = _admin_connection(url)
    with conn.cursor() as cur:
        if drop:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if not cur.fetchone():
            cur.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def built_marker() -> str | None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT obj_description('settlement_person'::regclass, 'pg_class')")
        row = cur.fetchone()
    return row[0] if row else None


# ---------------------------------------------------------------------------------------------------- COPY


def _copy(model, columns: list[str], rows, chunk: int = 200_000) -> int:
    """COPY rows (tuples in `columns` order) into the model's table; every other NOT NULL column gets its
    Django default, "" for a blank text field, or now for a timestamp, so that a new model field does not
    silently break the build (an unfillable one raises)."""
    from django.db import connection
    from django.db.models import NOT_PROVIDED

    now = datetime.now(timezone.utc)
    extra_cols, extra_vals = [], []
    for f in model._meta.concrete_fields:
        if f.column in columns or f.null or f.db_default is not NOT_PROVIDED:
            continue
        if f.has_default():
            value = f.get_default()
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            value = now
        elif f.blank and f.get_internal_type() in ("CharField", "TextField"):
            value = ""
        else:
            raise RuntimeError(f"{model.__name__}.{f.name}: no value for the benchmark's COPY")
        extra_cols.append(f.column)
        extra_vals.append(value)
    cols = columns + extra_cols
    sql = f'COPY {model._meta.db_table} ({", ".join(cols)}) FROM STDIN WITH (FORMAT text)'

    def text(v):
        return r"\N" if v is None else ("t" if v else "f") if isinstance(v, bool) else str(v)

    tail = "\t".join(text(v) for v in extra_vals)
    n, buf = 0, io.StringIO()
    with connection.cursor() as cur:
        for row in rows:
            buf.write("\t".join(text(v) for v in row))
            buf.write("\t" + tail + "\n" if extra_cols else "\n")
            n += 1
            if n % chunk == 0:
                buf.seek(0)
                cur.cursor.copy_expert(sql, buf)
                buf = io.StringIO()
        buf.seek(0)
        cur.cursor.copy_expert(sql, buf)
    return n


# ---------------------------------------------------------------------------------------------------- build

COMPOSITIONS = [("single_adult", 55), ("family_with_children", 25), ("family_without_children", 10), ("unaccompanied_minor", 10)]
NATIONALITIES = ["ERI", "SYR", "SOM", "AFG", "SDN", "IRQ", "ETH", "UKR", "COD", "XXA"]
NAT_WEIGHTS = [22, 20, 12, 12, 6, 6, 6, 8, 4, 4]


def _households(persons_wanted: int, municipalities, rng: random.Random):
    """Yield (household row, [person rows]) until the wanted number of persons, spread evenly over the years."""
    end = date(LAST_YEAR, 12, 31)
    names, weights = zip(*COMPOSITIONS)
    total, hid, pid = 0, 0, 0
    span = (date(LAST_YEAR, 12, 31) - date(FIRST_YEAR - 1, 7, 1)).days
    while total < persons_wanted:
        comp = rng.choices(names, weights)[0]
        size = rng.randint(2, 7) if comp == "family_with_children" else 2 if comp == "family_without_children" else 1
        category = ("unaccompanied_minor" if comp == "unaccompanied_minor"
                    else "resettlement" if rng.random() < 0.12 else "reception")
        permit = date(FIRST_YEAR - 1, 7, 1) + timedelta(days=rng.randrange(span))
        wait = int(rng.lognormvariate(4.9, 0.6))
        settled = permit + timedelta(days=wait)
        m = rng.choice(municipalities)
        region = m.region_id
        target = 3 if comp in ("unaccompanied_minor", "family_with_children") else 6
        ready_on = permit + timedelta(days=rng.randint(0, 30))
        status, muni, year, assigned, settled_on, exit_reason, exited = "settled", m.pk, settled.year, settled - timedelta(days=rng.randint(10, 40)), settled, "", None
        if rng.random() < 0.03:
            status, muni, year, assigned, settled_on = "exited", None, None, None, None
            exit_reason, exited = "withdrawn", min(end, permit + timedelta(days=rng.randint(30, 400)))
        elif settled > end:
            settled_on = None
            if assigned <= end:
                status = "assigned"
            else:
                status, muni, year, assigned = "ready", None, None, None
        hid += 1
        household = (hid, status, category, comp, size, region, permit, target, ready_on, muni, year, assigned, settled_on,
                     exit_reason, exited)
        nat = rng.choices(NATIONALITIES, NAT_WEIGHTS)[0]
        members = []
        for k in range(size):
            pid += 1
            adult = k < (2 if comp != "family_with_children" else 1) and comp != "unaccompanied_minor"
            birth = permit - timedelta(days=rng.randint(18 * 365, 60 * 365) if adult else rng.randint(100, 17 * 365))
            members.append((pid, hid, f"{100000000000 + pid}", "N", f"P{pid}", birth, rng.choice("FM"), nat, k == 0,
                            permit, settled_on))
        total += size
        yield household, members


HOUSEHOLD_COLUMNS = ["id", "status", "category", "composition", "size", "region_id", "waiting_since", "waiting_target_months",
                     "settlement_ready_on", "municipality_id", "settlement_year", "assigned_on", "settled_on", "exit_reason",
                     "exited_on"]
PERSON_COLUMNS = ["id", "household_id", "duf_number", "first_name", "last_name", "birth_date", "sex", "nationality", "is_head",
                  "residence_permit_date", "settled_on"]


def build(persons_wanted: int, seed: int = 356) -> tuple[int, float]:
    """Fill the (freshly migrated) database; returns (persons, seconds)."""
    from django.db import connection, transaction

    from core.models import Municipality
    from core.services import load_reference_data
    from reporting.reference import load_indicators
    from settlement.models import Household, MunicipalDecision, NationalNeed, Person

    started = time.perf_counter()
    rng = random.Random(seed)
    load_reference_data(history=True)
    load_indicators()
    municipalities = list(Municipality.objects.valid_on(STRUCTURE).order_by("number"))
    per_year = persons_wanted // (LAST_YEAR - FIRST_YEAR + 1)
    with transaction.atomic():
        NationalNeed.objects.bulk_create(NationalNeed(year=y, adults_and_families=int(per_year * 0.8), unaccompanied_minors=int(per_year * 0.08),
                                                      resettlement_refugees=int(per_year * 0.12)) for y in range(FIRST_YEAR, LAST_YEAR + 1))
        MunicipalDecision.objects.bulk_create(
            (MunicipalDecision(municipality=m, year=y, places=places, unaccompanied_minors=min(places, rng.choice([0, 0, 2, 5])),
                               decided_on=date(y - 1, 11, 1))
             for y in range(FIRST_YEAR, LAST_YEAR + 1) for m in municipalities
             for places in [rng.randint(0, 2 * per_year // len(municipalities) + 4)]), batch_size=5000)
        households, persons = [], []
        for h, members in _households(persons_wanted, municipalities, rng):
            households.append(h)
            persons.extend(members)
        _copy(Household, HOUSEHOLD_COLUMNS, households)
        del households
        n = _copy(Person, PERSON_COLUMNS, persons)
        del persons
        with connection.cursor() as cur:
            for table in ("settlement_household", "settlement_person"):
                cur.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
            cur.execute(f"COMMENT ON TABLE settlement_person IS '{persons_wanted} {seed}'")
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")
    return n, time.perf_counter() - started


def ensure(persons: int, rebuild: bool = False) -> str | None:
    """Run in a worker whose DATABASE_URL is database_url(persons), Django set up: build the dataset unless the
    database already holds it. Returns a line saying what was built, or None when the cached one was reused."""
    from django.core.management import call_command
    from django.db import DatabaseError, connection

    url = database_url(persons)
    create_database(url)
    try:
        if not rebuild and built_marker() == f"{persons} 356":
            return None
    except DatabaseError:
        pass
    connection.close()
    create_database(url, drop=True)
    call_command("migrate", verbosity=0)
    n, seconds = build(persons)
    return f"built {n:,} persons in {seconds:.0f} s"
