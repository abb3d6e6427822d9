"""The settlement targets (resultatkrav under D1), read from the goal structure (Indicator, IndicatorTarget): one
definition of each target group and of the verdict for the monthly report, the dashboard and the goal report.

The target groups (appendix 2, lines 8268-8284: everyone but unaccompanied minors; families with children under
18; unaccompanied minors aged 15-18) and "within N months" are common.py's (TARGET_GROUPS, target_histograms).

Each target has two parts: `target` % within the indicator's months, and where the letter says so the rest
(100 %) within `rest_within_months`. A part is met when the exact counts reach it (common.meets), never a rounded share:
2,157 of 2,158 within 12 months is 99.95 %, shown as 100.0, and not met.
"""

from fractions import Fraction

from ..models import Assessment, Computation, Direction, Indicator
from .common import DAYS_PER_MONTH, TARGET_GROUPS, Summary, meets, share

# Computation -> (target group, months for "within", or None for an average wait in months).
MEASURES = {
    Computation.GENERAL_WITHIN_6M: ("general", 6),
    Computation.GENERAL_WITHIN_12M: ("general", 12),
    Computation.FAMILIES_WITHIN_3M: ("families", 3),
    Computation.MINORS_WITHIN_3M: ("minors", 3),
    Computation.MINORS_WITHIN_6M: ("minors", 6),
    Computation.AVERAGE_WAIT: ("general", None),
    Computation.MINORS_AVERAGE_WAIT: ("minors", None),
}
SEXES = (("F", "Kvinner"), ("M", "Menn"))


def assess(*parts) -> str:
    """Met when every part with a verdict is met, partly met when some are, no data when none has a verdict."""
    known = [p for p in parts if p is not None]
    if not known:
        return Assessment.NO_DATA
    if all(known):
        return Assessment.MET
    return Assessment.PARTLY_MET if any(known) else Assessment.NOT_MET


class TargetData:
    """Waiting times of settled persons by (key, target group, sex): common.Histogram or common.Summary, which
    both give count, total_days and within(months)."""

    def __init__(self, empty=Summary):
        self.hists, self.empty = {}, empty

    def add(self, key, group, sex, hist):
        current = self.hists.get((key, group, sex))
        self.hists[(key, group, sex)] = hist if current is None else current + hist

    def hist(self, key, group, sex=None):
        if sex:
            return self.hists.get((key, group, sex), self.empty())
        return sum((h for (k, g, _), h in self.hists.items() if k == key and g == group), self.empty())

    def keys(self) -> set:
        return {k for k, _, _ in self.hists}


# The SQL of a Summary per group (rows grouped by whole months waited, `mw`): persons and their sum of days.
SUMMARY_AGGREGATES = {"n": "COUNT(*)", "total_days": "SUM(days)"}


def target_data_from(rows, key_field: str | None = None) -> TargetData:
    """TargetData of Summaries from rows of SUMMARY_AGGREGATES grouped by (key_field, sex, in_<group>..., mw)."""
    out = TargetData()
    for r in rows:
        hist = Summary(r["n"], int(r["total_days"] or 0), {r["mw"]: r["n"]})
        for g in TARGET_GROUPS:
            if r[f"in_{g}"]:
                out.add(r[key_field] if key_field else None, g, r.get("sex") or "", hist)
    return out


def target_in_force(indicator: Indicator, year: int):
    """The target that applies in a year (prefetched targets), or None."""
    current = None
    for t in indicator.targets.all():
        if t.applies_to(year):
            current = t
    return current


def measure(computation: str, hist, target=None, direction=Direction.HIGHER) -> dict:
    """One computed value with its base and, against a target, the verdict of each part from exact counts."""
    group, months = MEASURES[computation]
    n = hist.count
    if months is None:
        total = hist.total_days
        value = round(total / n / DAYS_PER_MONTH, 1) if n else None
        wanted = float(target.target) if target else None
        met = None if not n or wanted is None else (
            Fraction(total) <= Fraction(str(wanted)) * Fraction(DAYS_PER_MONTH) * n if direction == Direction.LOWER
            else Fraction(total) >= Fraction(str(wanted)) * Fraction(DAYS_PER_MONTH) * n)
        return {"value": value, "base": n, "met": met, "rest_value": None, "rest_met": None, "assessment": assess(met)}
    part = hist.within(months)
    met = meets(part, n, target.target if target else None, direction == Direction.HIGHER)
    rest_months = target.rest_within_months if target else None
    rest_value = share(hist.within(rest_months), n) if rest_months else None
    rest_met = meets(hist.within(rest_months), n, 100) if rest_months else None
    return {"value": share(part, n), "base": n, "met": met, "rest_value": rest_value, "rest_met": rest_met,
            "assessment": assess(met, rest_met) if target else Assessment.NO_DATA}


def by_sex(computation: str, data: TargetData, key, target, direction) -> list[dict]:
    group, _ = MEASURES[computation]
    return [{"sex": s, "label": label, **measure(computation, data.hist(key, group, s), target, direction)} for s, label in SEXES]


def allocation_target_results(data: TargetData, year: int) -> list[dict]:
    """The D1 targets in force in `year` against `data` (the persons settled so far this year, by target group),
    for the monthly report.

    Only share targets (within N months) with a target that year; the rows follow the goal structure's order."""
    indicators = [i for i in Indicator.objects.filter(computation__in=list(MEASURES)).prefetch_related("targets")
                  .order_by("goal", "order", "code") if MEASURES[i.computation][1] is not None]
    results = []
    for ind in indicators:
        target = target_in_force(ind, year)
        if target is None:
            continue
        group, months = MEASURES[ind.computation]
        m = measure(ind.computation, data.hist(None, group), target, ind.direction)
        results.append({
            "key": ind.computation, "code": ind.code, "label": ind.name, "group": group, "within_months": months,
            "target": float(target.target), "rest_within_months": target.rest_within_months, "target_source": target.source,
            "actual": m["value"], "rest_actual": m["rest_value"], "base": m["base"], "met": m["met"],
            "rest_met": m["rest_met"], "assessment": m["assessment"],
        })
    return results
