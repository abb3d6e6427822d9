"""What both reports share: the settled persons, the "within N months" rule, the target groups, the verdict and
the waiting-time histogram. The rules themselves are settlement.definitions'; this module applies them to reports.

Definitions:
- settled in a period: `settled_persons` (by the person's own settlement date, placed in a municipality; a member
  settled stays settled when the rest of the household later leaves the flow);
- "within N months": settled no more than N calendar months after the residence permit
  (settlement.definitions.more_than_months: 30 April + 6 months is 30 October; settled 31 October is not within);
- the groups shown are the household compositions, with resettlement refugees (overføringsflyktninger) counted
  as a group of their own; the target groups (appendix 2, lines 8268-8284) are `TARGET_GROUPS`;
- a target is met when the exact counts reach it (`meets`), never a rounded share.
"""

from collections import defaultdict
from fractions import Fraction
from statistics import median

from django.db.models import Case, CharField, DurationField, ExpressionWrapper, F, Q, Value, When

from settlement.definitions import KEY_PER_MONTH, child_at_permit_q, months_key_expr, placement, settled_q
from settlement.models import Category, Composition, Person

WITHIN_MONTHS = (3, 6, 12)
# Only for a histogram filled without the months key (an old caller): the former day limits.
WITHIN_DAYS = {3: 91, 6: 183, 12: 365}
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


def wait_expr():
    """Days from the residence permit to settlement, as a database expression."""
    return ExpressionWrapper(F("settled_on") - F("residence_permit_date"), output_field=DurationField())


def months_expr():
    """settlement.definitions.months_key from the residence permit to settlement, as a database expression."""
    return months_key_expr("settled_on", "residence_permit_date")


def wait_annotations() -> dict:
    """Annotations a waiting-time histogram needs: `wait` (days), `mkey` (months key), `resettlement`, and a flag
    per target group (`in_general`, `in_families`, `in_minors`)."""
    flags = {f"in_{g}": Case(When(target_group_q(g), then=Value("1")), default=Value("0"), output_field=CharField())
             for g in TARGET_GROUPS}
    return {"wait": wait_expr(), "mkey": months_expr(), "resettlement": is_resettlement(), **flags}


WAIT_FIELDS = ("household__composition", "resettlement", "wait", "mkey", *(f"in_{g}" for g in TARGET_GROUPS))


def is_resettlement():
    return Case(When(household__category=Category.RESETTLEMENT, then=Value("1")), default=Value("0"), output_field=CharField())


def group_of(composition: str, resettlement: str) -> str:
    return "resettlement" if resettlement == "1" else composition


def share(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


class Histogram:
    """Waiting times of settled persons, in days and in months keys; stats are read off it without more queries."""

    def __init__(self):
        self.days = defaultdict(int)
        self.keys = defaultdict(int)
        self.unkeyed = defaultdict(int)  # days of entries added without a months key

    def add(self, days: int, n: int, key: int | None = None):
        self.days[days] += n
        if key is None:
            self.unkeyed[days] += n
        else:
            self.keys[key] += n

    def merge(self, other: "Histogram"):
        for attr in ("days", "keys", "unkeyed"):
            mine = getattr(self, attr)
            for k, n in getattr(other, attr).items():
                mine[k] += n
        return self

    def __add__(self, other: "Histogram") -> "Histogram":
        return Histogram().merge(self).merge(other)

    @property
    def count(self):
        return sum(self.days.values())

    def within(self, months: int) -> int:
        """Persons settled no more than `months` calendar months after the permit (settlement.definitions)."""
        limit = KEY_PER_MONTH * months
        return (sum(n for k, n in self.keys.items() if k <= limit)
                + sum(n for d, n in self.unkeyed.items() if d <= WITHIN_DAYS[months]))

    def between(self, low: int, high: int | None) -> int:
        return self.count - self.within(low) if high is None else self.within(high) - (self.within(low) if low else 0)

    def stats(self) -> dict:
        n = self.count
        if not n:
            return {"base": 0, "average_months": None, "median_months": None, "share_within_3m": None,
                    "share_within_6m": None, "share_within_12m": None, "within_3m": 0, "within_6m": 0, "within_12m": 0}
        total = sum(d * c for d, c in self.days.items())
        within = {m: self.within(m) for m in WITHIN_MONTHS}
        return {
            "base": n,
            "average_months": round(total / n / DAYS_PER_MONTH, 1),
            "median_months": round(_weighted_median(self.days) / DAYS_PER_MONTH, 1),
            **{f"share_within_{m}m": share(within[m], n) for m in WITHIN_MONTHS},
            **{f"within_{m}m": within[m] for m in WITHIN_MONTHS},
        }

    def distribution(self) -> list[dict]:
        return [{"label": label, "persons": self.between(lo, hi)} for label, lo, hi in DISTRIBUTION]


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


def histograms(rows, key_fields) -> dict:
    """Histograms keyed by (key fields..., group) from rows of `WAIT_FIELDS` + key fields + n."""
    result = defaultdict(Histogram)
    for r in rows:
        key = tuple(r[f] for f in key_fields) + (group_of(r["household__composition"], r["resettlement"]),)
        result[key].add(r["wait"].days, r["n"], r.get("mkey"))
    return result


def target_histograms(rows, key_fields) -> dict:
    """Histograms keyed by (key fields..., target group) from the same rows; a person may be in two groups
    (a family with children is also in "general")."""
    result = defaultdict(Histogram)
    for r in rows:
        for g in TARGET_GROUPS:
            if r[f"in_{g}"] == "1":
                result[tuple(r[f] for f in key_fields) + (g,)].add(r["wait"].days, r["n"], r["mkey"])
    return result
