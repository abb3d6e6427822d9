"""What both reports share: the waiting-time thresholds, the groups, and the waiting-time histogram.

Definitions:
- "within N months" is at most 91, 183 or 365 days from the residence permit to the person's
  settlement date;
- the groups are the household compositions, with resettlement refugees (overføringsflyktninger)
  counted as a group of their own.
"""

from collections import defaultdict
from statistics import median

from django.db.models import Case, CharField, DurationField, ExpressionWrapper, F, Value, When

from settlement.models import Category

WITHIN_DAYS = {3: 91, 6: 183, 12: 365}
DAYS_PER_MONTH = 365.25 / 12
GROUPS = [
    ("single_adult", "Enslige voksne"),
    ("family_with_children", "Familier med barn"),
    ("family_without_children", "Familier uten barn"),
    ("unaccompanied_minor", "Enslige mindreårige"),
    ("resettlement", "Overføringsflyktninger"),
]
DISTRIBUTION = [("0–3 mnd", 0, 91), ("3–6 mnd", 92, 183), ("6–9 mnd", 184, 274), ("9–12 mnd", 275, 365), ("over 12 mnd", 366, None)]


def wait_expr():
    """Days from the residence permit to settlement, as a database expression."""
    return ExpressionWrapper(F("settled_on") - F("residence_permit_date"), output_field=DurationField())


def is_resettlement():
    return Case(When(household__category=Category.RESETTLEMENT, then=Value("1")), default=Value("0"), output_field=CharField())


def group_of(composition: str, resettlement: str) -> str:
    return "resettlement" if resettlement == "1" else composition


def share(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


class Histogram:
    """Waiting days of settled persons; stats are read off it without more queries."""

    def __init__(self):
        self.days = defaultdict(int)

    def add(self, days: int, n: int):
        self.days[days] += n

    def merge(self, other: "Histogram"):
        for d, n in other.days.items():
            self.days[d] += n
        return self

    def __add__(self, other: "Histogram") -> "Histogram":
        return Histogram().merge(self).merge(other)

    @property
    def count(self):
        return sum(self.days.values())

    def within(self, months: int) -> int:
        limit = WITHIN_DAYS[months]
        return sum(n for d, n in self.days.items() if d <= limit)

    def stats(self) -> dict:
        n = self.count
        if not n:
            return {"base": 0, "average_months": None, "median_months": None, "share_within_3m": None,
                    "share_within_6m": None, "share_within_12m": None}
        total = sum(d * c for d, c in self.days.items())
        return {
            "base": n,
            "average_months": round(total / n / DAYS_PER_MONTH, 1),
            "median_months": round(_weighted_median(self.days) / DAYS_PER_MONTH, 1),
            "share_within_3m": share(self.within(3), n),
            "share_within_6m": share(self.within(6), n),
            "share_within_12m": share(self.within(12), n),
        }

    def distribution(self) -> list[dict]:
        return [{"label": label, "persons": sum(n for d, n in self.days.items() if d >= lo and (hi is None or d <= hi))}
                for label, lo, hi in DISTRIBUTION]


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
    """Histograms keyed by (key fields..., group) from rows of (fields, composition, resettlement, wait, n)."""
    result = defaultdict(Histogram)
    for r in rows:
        key = tuple(r[f] for f in key_fields) + (group_of(r["household__composition"], r["resettlement"]),)
        result[key].add(r["wait"].days, r["n"])
    return result
