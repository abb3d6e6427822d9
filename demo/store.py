"""Writing the demo's planned households in bulk, and removing all demo data."""

import csv
import io
from functools import lru_cache
from datetime import date, datetime, time
from itertools import islice
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import CharField, TextField
from django.utils import timezone

from settlement.models import (
    DistributionList, Household, HouseholdEvent, MunicipalDecision, NationalNeed, Person, Proposal, RequestedPlaces,
    SettlementRequest,
)


@lru_cache(maxsize=None)  # about 120,000 calls for a few thousand days at scale 1
def aware(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


# -- bulk writes ------------------------------------------------------------------------------------------------
# The seed writes about 200,000 rows at scale 1. bulk_create builds a model instance and prepares every value through
# its field (11 s of the seed on PostgreSQL, issue 14); COPY takes the values as text. Like bulk_create, these writes
# run no save() and no signals, so they write no history rows.


def reserve_ids(model, n: int) -> list[int]:
    """n primary keys for rows written with insert_rows, so that other rows can refer to them before they exist."""
    table, pk = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, n])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX({connection.ops.quote_name(pk)}), 0) FROM {connection.ops.quote_name(table)}")
        first = cursor.fetchone()[0] + 1
    return list(range(first, first + n))


def insert_rows(model, rows: list[dict]) -> None:
    """Insert rows, each {field attname: value}, in bulk: COPY on PostgreSQL, one executemany elsewhere. A field
    left out gets its default, an auto_now(_add) timestamp the current time; a value given is kept, also for those (a
    distribution list's historical send date), unlike bulk_create."""
    if not rows:
        return
    now = timezone.now()

    def default(f):
        return now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()

    attnames = {f.attname: f for f in model._meta.concrete_fields}
    keys = set().union(*rows)
    given = [attnames[name] for name in keys]  # KeyError: not a field of the model
    rest = [f for f in model._meta.concrete_fields if f.attname not in keys and not f.primary_key]
    tail = tuple(default(f) for f in rest)
    if all(len(row) == len(given) for row in rows):
        pick, single = itemgetter(*(f.attname for f in given)), len(given) == 1
        values = (((pick(row),) if single else pick(row)) + tail for row in rows)
    else:  # some rows leave a field out
        pairs = [(f.attname, default(f)) for f in given]
        values = (tuple(row.get(name, value) for name, value in pairs) + tail for row in rows)
    fields = given + rest
    if any(f.get_internal_type() == "JSONField" for f in fields):
        raise TypeError(f"insert_rows writes no JSON ({model.__name__})")  # csv would write a dict's repr
    quote = connection.ops.quote_name
    columns = ", ".join(quote(f.column) for f in fields)
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # CSV, written by the csv module's C writer: an empty unquoted field is NULL, except in a NOT NULL column
            # (FORCE_NOT_NULL), where it is the empty string (a blank text field). A nullable text column takes
            # it as the empty string too where no row has None in it (simple_history's blank change reason).
            not_null = ", ".join(quote(f.column) for f in fields if not f.null or (
                isinstance(f, (CharField, TextField)) and all(row.get(f.attname, default(f)) is not None for row in rows)))
            copy = f"COPY {table} ({columns}) FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({not_null}))"
            if not skips_foreign_key_triggers():
                cursor.cursor.copy_expert(copy, CsvStream(values))
                return
            # A foreign key is checked by a trigger per row, at commit (4.3 s of the seed at scale 1, issue 14). As
            # pg_restore --disable-triggers does, load without them (replication role "replica": the database has
            # no triggers of its own) and check each foreign key once, for the whole table, below.
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.cursor.copy_expert(copy, CsvStream(values))
            cursor.execute("SET LOCAL session_replication_role = origin")
            check_foreign_keys(model)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                           [[f.get_db_prep_save(x, connection) for f, x in zip(fields, v)] for v in values])


class CsvStream:
    """The rows as a file of CSV for COPY FROM STDIN, written a chunk at a time as psycopg2 reads it: PostgreSQL
    stores one chunk while the next is written, on the other core, instead of starting when the whole file is
    written (the flow's COPYs take about 1 s of the server's time at scale 1, issue 14)."""

    ROWS = 2000  # a chunk: large enough that a read costs nothing, small enough to keep both sides busy

    def __init__(self, rows):
        self.rows = iter(rows)
        self.buffer = io.StringIO()
        self.writer = csv.writer(self.buffer, lineterminator="\n")

    def read(self, size=-1) -> str:
        self.buffer.seek(0)
        self.buffer.truncate()
        self.writer.writerows(islice(self.rows, self.ROWS))
        return self.buffer.getvalue()  # "" at the end


def skips_foreign_key_triggers() -> bool:
    """Whether bulk writes may go without PostgreSQL's per-row foreign-key triggers (replication role "replica"):
    a superuser, inside the seed's transaction (SET LOCAL ends with it)."""
    if connection.vendor != "postgresql" or not connection.in_atomic_block:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('is_superuser') = 'on'")
        return cursor.fetchone()[0]


def check_foreign_keys(model) -> None:
    """Raise IntegrityError if a row of the model's table refers to a row that does not exist: one query per foreign
    key instead of a lookup per row."""
    from django.db import IntegrityError

    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for f in model._meta.concrete_fields:
            if not (f.is_relation and f.db_constraint):
                continue
            target = f.target_field
            # EXCEPT, a hashed set operation whatever the planner's statistics say (tables just loaded have none;
            # a NOT EXISTS planned for an empty table took 3 s for the claim lines).
            cursor.execute(f"SELECT {quote(f.column)} FROM {quote(model._meta.db_table)} WHERE {quote(f.column)} IS NOT NULL "
                           f"EXCEPT SELECT {quote(target.column)} FROM {quote(target.model._meta.db_table)} LIMIT 1")
            missing = cursor.fetchone()
            if missing:
                raise IntegrityError(f"{model.__name__}.{f.name} refers to {target.model.__name__} {missing[0]}, which "
                                     "does not exist")


def instance_row(obj) -> dict:
    """A model instance's values for insert_rows; an unset primary key or auto timestamp is left to it."""
    values = obj.__dict__  # where the model keeps its fields' values (a foreign key's id under its attname)
    return {name: values[name] for name, optional in _row_fields(type(obj)) if not optional or values[name] is not None}


def history_rows(model, objs: list, rows: list[dict], when) -> list[dict]:
    """The "created" history row of each of objs, written as `rows` (instance_row), for insert_rows: what
    simple_history's bulk_history_create writes (its user, no change reason, the date `when`), without a model
    instance and a prepared value per field (bulk_history_create took 0.8 s of the interviews at scale 1, issue 14)."""
    history = model.history.model
    tracked = [f.attname for f in history.tracked_fields]
    relation = hasattr(history, "history_relation")
    out = []
    for obj, row in zip(objs, rows):
        user = history.get_default_history_user(obj)
        values = {**{name: row[name] for name in tracked}, "history_date": when, "history_type": "+",
                  "history_change_reason": "", "history_user_id": user.pk if user is not None else None}
        if relation:
            values["history_relation_id"] = obj.pk
        out.append(values)
    return out


@lru_cache(maxsize=None)
def _row_fields(model) -> list[tuple[str, bool]]:
    """The model's fields as (attname, left to insert_rows when None)."""
    return [(f.attname, f.primary_key or getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False))
            for f in model._meta.concrete_fields]


# The tables of the settlement flow (save_plans, demo.places), analyzed before the reports and grants read them.
FLOW_MODELS = [Household, Person, DistributionList, Proposal, HouseholdEvent, NationalNeed, SettlementRequest,
               RequestedPlaces, MunicipalDecision]


def save_plans(plans: list) -> None:
    households = [p.household for p in plans]
    for h, pk in zip(households, reserve_ids(Household, len(households))):
        h.pk = pk
    insert_rows(Household, [h.row() for h in households])
    insert_rows(Person, [dict(data, household_id=p.household.pk) for p in plans for data in p.persons])
    # One distribution list per municipality and week in which households were proposed to it, sent on the day of
    # its first proposal.
    lists = {}
    for plan in plans:
        for municipality, on, deadline, *_ in plan.proposals:
            key = (municipality.pk, on.isocalendar()[:2])
            if key not in lists:
                year = plan.household.settlement_year or on.year
                lists[key] = {"municipality_id": municipality.pk, "region_id": plan.household.region.pk, "year": year,
                              "reply_deadline": deadline, "created_at": aware(on, 8)}
    for row, pk in zip(lists.values(), reserve_ids(DistributionList, len(lists))):
        row["id"] = pk
    insert_rows(DistributionList, list(lists.values()))
    proposals, events = [], []
    for plan in plans:
        h = plan.household
        for municipality, on, deadline, status, reason, responded in plan.proposals:
            proposals.append({
                "distribution_list_id": lists[(municipality.pk, on.isocalendar()[:2])]["id"], "household_id": h.pk,
                "municipality_id": municipality.pk, "persons": h.size, "status": status, "decline_reason": reason,
                "responded_at": aware(responded, 14) if responded else None,
            })
        for kind, at, municipality, from_status, to_status, note in plan.events:
            events.append({"household_id": h.pk, "kind": kind, "at": at, "municipality_id": municipality and municipality.pk,
                           "from_status": from_status, "to_status": to_status, "note": note})
    insert_rows(Proposal, proposals)
    insert_rows(HouseholdEvent, events)


def demo_data_exists() -> bool:
    return Household.objects.exists()


def demo_models() -> list:
    """The demo's cases and everything that refers to them (found from the foreign keys, so that a new model that
    points at a household or a claim is cleared too), with their history tables. Reference data stays."""
    from agreements.models import PartnershipAgreement, ReminderLog
    from grants.models import GrantApplication, GrantClaim, PaymentBatch
    from reporting.models import ReportSnapshot
    from settlement.models import MatchingRun

    roots = [ReportSnapshot, GrantApplication, GrantClaim, PaymentBatch, PartnershipAgreement, ReminderLog, HouseholdEvent,
             Proposal, DistributionList, Person, Household, MunicipalDecision, RequestedPlaces, SettlementRequest,
             NationalNeed, MatchingRun]
    found, queue = [], list(roots)
    while queue:
        model = queue.pop(0)
        if model in found or model._meta.proxy or not model._meta.managed:
            continue
        found.append(model)
        # Every model with a foreign key to this one, the hidden ones too (many-to-many tables, history).
        queue += [f.related_model for f in model._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete]
        history = getattr(model._meta, "simple_history_manager_attribute", None)
        if history:
            queue.append(getattr(model, history).model)
    return found


@transaction.atomic
def clear_demo():
    """Remove every demo case at once, one statement per table. Not QuerySet.delete(), which loads each row and
    writes a history row per deleted row, one at a time (29.9 s of `seed_demo --reset`, issue 14)."""
    models = demo_models()
    quote = connection.ops.quote_name
    tables = [quote(m._meta.db_table) for m in models]
    if connection.vendor == "postgresql":
        # TRUNCATE, not DELETE: a DELETE leaves every row behind as a dead one until a VACUUM, and where none runs
        # (autovacuum off) each reset left the tables larger and the next seed slower (the household events took
        # 251 MB for 92,000 rows after 16 resets; every later scan and ANALYZE reads it). TRUNCATE gives the tables
        # new files: 0.15 s for the 66 tables, 0.04 s more at commit (issue 14).
        with connection.cursor() as cursor:
            # Deferred foreign-key checks may be pending on these tables (a test, a seed run in one atomic block),
            # and PostgreSQL refuses to TRUNCATE them: run the checks now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares them, for the seed's writes
        return
    for model in models:  # foreign keys are checked at commit: the order does not matter
        model._base_manager.all()._raw_delete(connection.alias)
