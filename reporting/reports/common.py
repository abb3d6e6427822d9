"""What both reports share: the settled persons, the "within N months" rule, the target groups, the verdict, the
waiting-time histogram and the grouped statements both reports are computed from. The rules themselves are
settlement.definitions'; this module applies them to reports.

Definitions:
- settled in a period: `settled_persons` (by the person's own settlement date, placed in a municipality; a member
  settled stays settled when the rest of the household later leaves the flow);
- "within N months": settled no more than N calendar months after the residence permit
  (settlement.definitions.more_than_months: 30 April + 6 months is 30 October; settled 31 October is not within);
- the groups shown are the household compositions, with resettlement refugees (overføringsflyktninger) counted
  as a group of their own; the target groups (appendix 2, lines 8268-8284) are `TARGET_GROUPS`;
- a target is met when the exact counts reach it (`meets`), never a rounded share.

Speed (issue 14): each report reads its persons in one or two statements (`grouping_sets`: GROUP BY GROUPING SETS
on PostgreSQL, one pass; a UNION ALL of GROUP BYs over the same rows elsewhere), with integer keys (days as an
integer, `months_key_expr` in integer date parts), inside `report_transaction` (work_mem raised for the grouping).
"""

from collections import defaultdict
from contextlib import contextmanager
from fractions import Fraction
from statistics import median

from django.db import NotSupportedError, connection, transaction
from django.db.models import Case, F, Func, IntegerField, Q, Value, When

from settlement.definitions import KEY_PER_MONTH, child_at_permit_q, months_key_expr, placement, settled_q
from settlement.models import Category, Composition, Person

WITHIN_MONTHS = (3, 6, 12)
DAYS_PER_MONTH = 365.25 / 12
GROUPS = [
    ("single_adult", "Enslige voksne"),
    ("family_with_children", "Familier med barn"),
    ("family_without_children", "Familier uten barn"),
    ("unaccompanied_minor", "Enslige mindreårige"),
    ("resettlement", "Overføringsflyktninger"),
]
# Waiting-time bands in whole months, by the same rule as "within N months".
DISTRIBUTION = [("0–3 mnd", 0, 3), ("3–6 mnd", 3, 6), ("6–9 mnd", 6, 9), ("9–12 mnd", 9, 12), ("over 12 mnd", 12, None)]

# Target groups, appendix 2 (lines 8268-8284): everyone but unaccompanied minors; families with children under
# 18 (resettlement families included, the letter does not leave them out); unaccompanied minors aged 15 to 17 on the
# day of the residence permit ("mellom 15 og 18 år", line 8280).
TARGET_GROUPS = {
    "general": "Alle unntatt enslige mindreårige",
    "families": "Familier med barn under 18 år",
    "minors": "Enslige mindreårige 15–18 år",
}
MINOR_TARGET_AGE = 15
WORK_MEM = "64MB"  # the grouping of 1.5 M persons spills to disk with PostgreSQL's default 4 MB


def target_group_q(group: str, prefix: str = "") -> Q:
    """The persons of a target group, as a filter on Person (or on a model reaching Person by `prefix`)."""
    minor = Q(**{f"{prefix}household__composition": Composition.UNACCOMPANIED_MINOR})
    if group == "general":
        return ~minor
    if group == "families":
        return Q(**{f"{prefix}household__composition": Composition.FAMILY_WITH_CHILDREN})
    if group == "minors":
        return minor & ~child_at_permit_q(prefix, age=MINOR_TARGET_AGE) & child_at_permit_q(prefix)
    raise KeyError(group)


def settled_persons(start, end):
    """Persons settled in a municipality between two dates (inclusive), with their placement annotated
    (settlement.definitions.placement): the one definition of "settled" for every report."""
    return placement(Person.objects.filter(settled_q(start, end))).filter(placed_municipality__isnull=False)


def meets(part: int, whole: int, target, higher: bool = True) -> bool | None:
    """Whether part/whole reaches `target` % in exact arithmetic (2,157 of 2,158 is not 100 %). None without a
    base or a target."""
    if not whole or target is None:
        return None
    actual, wanted = Fraction(part) * 100, Fraction(str(target)) * whole
    return actual >= wanted if higher else actual <= wanted


def share(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


# -- columns of the grouped statements -------------------------------------------------------------------------------

class DaysBetween(Func):
    """Whole days from one date column to another, as an integer (not an interval: cheap to add and group by)."""

    output_field = IntegerField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        raise NotSupportedError("DaysBetween: PostgreSQL and SQLite only")

    def as_postgresql(self, compiler, connection, **extra):
        (a, pa), (b, pb) = (compiler.compile(e) for e in self.source_expressions)
        return f"({a} - {b})", [*pa, *pb]

    def as_sqlite(self, compiler, connection, **extra):
        (a, pa), (b, pb) = (compiler.compile(e) for e in self.source_expressions)
        return f"CAST(julianday({a}) - julianday({b}) AS INTEGER)", [*pa, *pb]


def flag(q: Q):
    """1 for the rows a filter keeps, else 0 (summed in the grouped statements)."""
    return Case(When(q, then=Value(1)), default=Value(0), output_field=IntegerField())


def group_expr(prefix: str = ""):
    """The group shown: the household composition, or "resettlement" for resettlement refugees."""
    h = f"{prefix}household__"
    return Case(When(**{f"{h}category": Category.RESETTLEMENT}, then=Value("resettlement")), default=F(f"{h}composition"))


def wait_columns() -> dict:
    """Per settled person: days and the months key (settlement.definitions.months_key) from the residence permit
    to settlement, and a 0/1 flag per target group (`in_general`, `in_families`, `in_minors`)."""
    return {"days": DaysBetween("settled_on", "residence_permit_date"),
            "mkey": months_key_expr("settled_on", "residence_permit_date"),
            **{f"in_{g}": flag(target_group_q(g)) for g in TARGET_GROUPS}}


@contextmanager
def report_transaction():
    """One transaction for a report's statements, with work_mem raised for its groupings on PostgreSQL."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        yield


def grouping_sets(rows_qs, sets: list[tuple], aggregates: dict, materialize: bool = False) -> list[list[dict]]:
    """One statement over the rows of `rows_qs` (a queryset of named columns: annotate, then values()), grouped
    by each set of column names; returns the rows of each set (dicts of its columns and the aggregates).

    `aggregates`: {name: SQL over the columns}, e.g. {"n": "COUNT(*)", "month": "SUM(in_month)"}. PostgreSQL
    groups every set in one pass (GROUP BY GROUPING SETS); elsewhere a UNION ALL of one GROUP BY per set over
    the same common table expression. `materialize`: compute each row's columns once before grouping (PostgreSQL
    otherwise evaluates a column's expression again in each set that groups by it)."""
    sql, params = rows_qs.order_by().query.sql_with_params()
    qn = connection.ops.quote_name
    columns = list(dict.fromkeys(c for s in sets for c in s))
    aggs = ", ".join(f"{expr} AS {qn(name)}" for name, expr in aggregates.items())
    if connection.vendor == "postgresql":
        cols = ", ".join(qn(c) for c in columns)
        sets_sql = ", ".join("(" + ", ".join(qn(c) for c in s) + ")" for s in sets)
        source = f"WITH s AS MATERIALIZED ({sql}) SELECT" if materialize else "SELECT"
        rows = "s" if materialize else f"({sql}) s"
        statement = f"{source} GROUPING({cols}), {cols}, {aggs} FROM {rows} GROUP BY GROUPING SETS ({sets_sql})"
        masks = {sum(1 << (len(columns) - 1 - j) for j, c in enumerate(columns) if c not in s): k for k, s in enumerate(sets)}
    else:
        parts = []
        for k, s in enumerate(sets):
            cols = ", ".join(qn(c) if c in s else f"NULL AS {qn(c)}" for c in columns)
            group_by = f" GROUP BY {', '.join(qn(c) for c in s)}" if s else ""
            parts.append(f"SELECT {k}, {cols}, {aggs} FROM s{group_by}")
        statement = f"WITH s AS ({sql}) " + " UNION ALL ".join(parts)
        masks = {k: k for k in range(len(sets))}
    names = columns + list(aggregates)
    out = [[] for _ in sets]
    with connection.cursor() as cur:
        cur.execute(statement, params)
        for row in cur.fetchall():
            out[masks[row[0]]].append(dict(zip(names, row[1:])))
    return out


# -- waiting times -----------------------------------------------------------------------------------------------------

class Histogram:
    """Waiting times of settled persons, in days and in months keys; stats are read off it without more queries."""

    def __init__(self):
        self.days = defaultdict(int)
        self.keys = defaultdict(int)

    def add(self, days: int, n: int, key: int):
        self.days[days] += n
        self.keys[key] += n

    def merge(self, other: "Histogram"):
        for attr in ("days", "keys"):
            mine = getattr(self, attr)
            for k, n in getattr(other, attr).items():
                mine[k] += n
        return self

    def __add__(self, other: "Histogram") -> "Histogram":
        return Histogram().merge(self).merge(other)

    @property
    def count(self):
        return sum(self.days.values())

    @property
    def total_days(self) -> int:
        return sum(d * c for d, c in self.days.items())

    def within(self, months: int) -> int:
        """Persons settled no more than `months` calendar months after the permit (settlement.definitions)."""
        limit = KEY_PER_MONTH * months
        return sum(n for k, n in self.keys.items() if k <= limit)

    def between(self, low: int, high: int | None) -> int:
        return self.count - self.within(low) if high is None else self.within(high) - (self.within(low) if low else 0)

    def stats(self) -> dict:
        n = self.count
        if not n:
            return {"base": 0, "average_months": None, "median_months": None, "share_within_3m": None,
                    "share_within_6m": None, "share_within_12m": None, "within_3m": 0, "within_6m": 0, "within_12m": 0}
        within = {m: self.within(m) for m in WITHIN_MONTHS}
        return {
            "base": n,
            "average_months": round(self.total_days / n / DAYS_PER_MONTH, 1),
            "median_months": round(_weighted_median(self.days) / DAYS_PER_MONTH, 1),
            **{f"share_within_{m}m": share(within[m], n) for m in WITHIN_MONTHS},
            **{f"within_{m}m": within[m] for m in WITHIN_MONTHS},
        }

    def distribution(self) -> list[dict]:
        return [{"label": label, "persons": self.between(lo, hi)} for label, lo, hi in DISTRIBUTION]


class Summary:
    """What a goal needs of a histogram, summed in SQL: persons, their days, and persons by whole months waited
    (settlement.definitions.months_waited), from which "within N months" is a sum for any N."""

    def __init__(self, count: int = 0, total_days: int = 0, by_months: dict | None = None):
        self.count, self.total_days, self.by_months = count, total_days, dict(by_months or {})

    def within(self, months: int) -> int:
        return sum(n for waited, n in self.by_months.items() if waited <= months)

    def __add__(self, other: "Summary") -> "Summary":
        by_months = dict(self.by_months)
        for waited, n in other.by_months.items():
            by_months[waited] = by_months.get(waited, 0) + n
        return Summary(self.count + other.count, self.total_days + other.total_days, by_months)


def _weighted_median(days: dict) -> float:
    ordered = sorted(days.items())
    n = sum(days.values())
    values = []
    # The median of a weighted list: the middle one or two positions, found without expanding it.
    for target in sorted({(n - 1) // 2, n // 2}):
        seen = 0
        for d, c in ordered:
            seen += c
            if seen > target:
                values.append(d)
                break
    return median(values)
