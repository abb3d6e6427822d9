"""Goal achievement (måloppnåelse) for D1–D8: computed indicators from settlement data, the rest from
values an IMDi admin recorded, each against the target in force that year."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count
from django.db.models.functions import ExtractYear

from settlement.models import Composition, Person

from ..models import Computation, Direction, Indicator, IndicatorValue
from .common import Histogram, is_resettlement, wait_expr


def _histograms_by_year(up_to_year: int) -> dict[int, dict[str, Histogram]]:
    """One grouped query: waiting-time histograms per settlement year and household composition."""
    rows = (Person.objects.filter(settled_on__isnull=False, settled_on__year__lte=up_to_year)
            .annotate(wait=wait_expr(), resettlement=is_resettlement(), y=ExtractYear("settled_on"))
            .values("y", "household__composition", "resettlement", "wait").annotate(n=Count("id")))
    by_year = defaultdict(lambda: defaultdict(Histogram))
    for r in rows:
        # Families with children count for the family target whether or not they came as resettlement refugees.
        by_year[r["y"]][r["household__composition"]].add(r["wait"].days, r["n"])
    return by_year


def _indicators_of(by_composition: dict[str, Histogram]) -> dict[str, float]:
    general = Histogram()
    for c, h in by_composition.items():
        if c != Composition.UNACCOMPANIED_MINOR:
            general.merge(h)
    minors = by_composition.get(Composition.UNACCOMPANIED_MINOR, Histogram())
    families = by_composition.get(Composition.FAMILY_WITH_CHILDREN, Histogram())
    gs, ms = general.stats(), minors.stats()
    return {
        Computation.GENERAL_WITHIN_6M: gs["share_within_6m"],
        Computation.GENERAL_WITHIN_12M: gs["share_within_12m"],
        Computation.FAMILIES_WITHIN_3M: families.stats()["share_within_3m"],
        Computation.MINORS_WITHIN_3M: ms["share_within_3m"],
        Computation.MINORS_WITHIN_6M: ms["share_within_6m"],
        Computation.AVERAGE_WAIT: gs["average_months"],
        Computation.MINORS_AVERAGE_WAIT: ms["average_months"],
    }


def _computed_values(up_to_year: int) -> dict[int, dict[str, float]]:
    """Every computable indicator for every year with settlements."""
    return {y: _indicators_of(comp) for y, comp in _histograms_by_year(up_to_year).items()}


def _recorded_values(up_to_year: int) -> dict[int, dict[int, float]]:
    """Values an admin recorded, by indicator id and year."""
    recorded = defaultdict(dict)
    for indicator_id, y, value in IndicatorValue.objects.filter(year__lte=up_to_year).values_list("indicator_id", "year", "value"):
        recorded[indicator_id][y] = float(value)
    return recorded


def _target_for(targets: list[tuple[int, Decimal]], year: int):
    """The target in force in a year: the latest one set for that year or before."""
    current = None
    for y, t in targets:
        if y <= year:
            current = float(t)
    return current


def _met(value, target, direction, previous=None, must_increase=False):
    if value is None:
        return None
    if target is None:
        # "Skal øke": met when the value rose from the year before.
        return (value > previous) if must_increase and previous is not None else None
    return value >= target if direction == Direction.HIGHER else value <= target


def _indicator_entry(ind: Indicator, values: dict[int, float], year: int) -> dict:
    """One indicator's result for the year, with its trend over every year that has a value."""
    targets = [(t.year, t.target) for t in ind.targets.all()]
    years = sorted(values)
    previous = {y: values[years[i - 1]] if i else None for i, y in enumerate(years)}
    trend = [{"year": y, "value": values[y], "target": _target_for(targets, y),
              "met": _met(values[y], _target_for(targets, y), ind.direction, previous[y], ind.must_increase)}
             for y in years]
    target = _target_for(targets, year)
    actual = values.get(year)
    prior = max((y for y in years if y < year), default=None)
    return {
        "code": ind.code, "name": ind.name, "unit": ind.unit, "unit_label": ind.get_unit_display(),
        "direction": ind.direction, "computed": ind.is_computed, "target": target, "actual": actual,
        "must_increase": ind.must_increase,
        "met": _met(actual, target, ind.direction, values.get(prior), ind.must_increase), "trend": trend,
    }


def _summary(goals: dict) -> dict:
    all_indicators = [i for g in goals.values() for i in g["indicators"]]
    return {"indicators": len(all_indicators), "met": sum(1 for i in all_indicators if i["met"] is True),
            "not_met": sum(1 for i in all_indicators if i["met"] is False),
            "no_value": sum(1 for i in all_indicators if i["met"] is None)}


def goal_report(year: int, progress=lambda pct: None) -> dict:
    """Goal achievement (måloppnåelse) for D1–D8 in a year, with each indicator's trend."""
    indicators = list(Indicator.objects.prefetch_related("targets").order_by("goal", "order", "code"))
    progress(20)
    computed = _computed_values(year)
    progress(60)
    recorded = _recorded_values(year)
    goals = {}
    for ind in indicators:
        # Recorded values cover years before the system's own data (e.g. from the 2014 evaluation);
        # a computed value for a year takes precedence.
        values = dict(recorded.get(ind.pk, {}))
        if ind.is_computed:
            values.update({y: v[ind.computation] for y, v in computed.items() if v.get(ind.computation) is not None})
        goal = goals.setdefault(ind.goal, {"code": ind.goal, "label": ind.get_goal_display(), "indicators": []})
        goal["indicators"].append(_indicator_entry(ind, values, year))
    progress(90)
    return {"kind": "goals", "period": {"year": year, "label": str(year)}, "summary": _summary(goals),
            "goals": list(goals.values())}
