"""Goal achievement (måloppnåelse) for D1–D8: every steering parameter of the goal structure, computed from the
system's own data where it can be (D1 from settlement, D8.2 from the agreements register), the rest from values an
IMDi admin recorded, each against the target in force that year, with its verdict and the evaluation's.

Assessment per steering parameter: met / partly met (one part of a two-part target, or one sex of two) / not met /
no data. Per goal: met when every assessed parameter is met, not met when none is even partly met, else partly met.
Each computed value carries "base", the number of persons it is computed from, so publication can hide it.

Closed years frozen (issue 14): a goal snapshot (reporting.services.run_snapshot) reads the settlement figures of
the years before the current one as stored at their first computation (reporting.models.FrozenGoalYear) and
computes only the later years; goal_report() called without `frozen` computes every year from the data as it is.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.apps import apps

from settlement.definitions import DatePart, months_waited_expr

from ..models import Assessment, Computation, Direction, Indicator, IndicatorValue, Verdict
from .common import TARGET_GROUPS, grouping_sets, report_transaction, settled_persons, wait_columns
from .process import process_indicators
from .targets import (
    MEASURES, SEXES, SUMMARY_AGGREGATES, TargetData, assess, by_sex, measure, target_data_from, target_in_force,
)

GROUP_BY = ("y", "sex", *(f"in_{g}" for g in TARGET_GROUPS), "mw")


def summary_rows(first_year: int | None, last_year: int) -> list[dict]:
    """One summarising statement: per settlement year, sex, target group and whole months waited
    (settlement.definitions.months_waited), the persons settled from the start of `first_year` (None: from the
    first) to the end of `last_year` (common.settled_persons) and their sum of days waited."""
    start = date(first_year, 1, 1) if first_year else date(1900, 1, 1)
    rows = (settled_persons(start, date(last_year, 12, 31))
            .annotate(y=DatePart("settled_on", "year"), mw=months_waited_expr("settled_on", "residence_permit_date"),
                      **wait_columns()).values(*GROUP_BY, "days"))
    (summary,) = grouping_sets(rows, [GROUP_BY], SUMMARY_AGGREGATES)
    return summary


def computed_by_year(up_to_year: int, frozen: dict | None = None) -> TargetData:
    """The settled persons' waiting times per year up to `up_to_year`, by target group and sex.

    `frozen`: {year: summary_rows of the year without "y"} for the closed years stored at their first computation
    (reporting.services.frozen_goal_years); those years are read as stored, the later ones computed now."""
    frozen = frozen or {}
    rows = [{**r, "y": y} for y, year_rows in frozen.items() if y <= up_to_year for r in year_rows]
    last_frozen = max(frozen, default=None)
    if last_frozen is None or last_frozen < up_to_year:
        rows += summary_rows(last_frozen + 1 if last_frozen is not None else None, up_to_year)
    return target_data_from(rows, "y")


def agreements_by_year(up_to_year: int) -> dict[int, int]:
    """D8.2: municipalities and agencies with a partnership agreement in force some day of each year.

    Read through the app registry (apps.get_model), not an import: reporting and agreements are independent
    apps (import-linter), and the count is the agreements register's, not typed in by hand."""
    try:
        agreement = apps.get_model("agreements", "PartnershipAgreement")
    except LookupError:
        return {}
    spans = defaultdict(set)
    for through, member in ((agreement.municipalities.through, "municipality"), (agreement.agencies.through, "agency")):
        for start, end, pk in through.objects.values_list("partnershipagreement__start_date", "partnershipagreement__end_date",
                                                          f"{member}_id"):
            for y in range(start.year, min(end.year, up_to_year) + 1):
                spans[y].add((member, pk))
    return {y: len(members) for y, members in spans.items()}


def _recorded(up_to_year: int) -> dict:
    """{indicator id: {year: {sex: (value, part_year, note)}}} for values an admin recorded or the evaluation gives."""
    out = defaultdict(lambda: defaultdict(dict))
    for v in IndicatorValue.objects.filter(year__lte=up_to_year):
        out[v.indicator_id][v.year][v.sex] = (float(v.value), v.part_year, v.note)
    return out


def _versus(value, target, previous, ind: Indicator):
    """A recorded value's verdict: against the target in force, or for "skal øke" against the year before."""
    if value is None:
        return None
    if target is not None:
        # Recorded values are exact as entered (Decimal), so they are compared as they are.
        wanted, got = target.target, Decimal(str(value))
        return got >= wanted if ind.direction == Direction.HIGHER else got <= wanted
    if ind.must_increase and previous is not None:
        return value > previous
    return None


def _recorded_point(ind: Indicator, year: int, by_sex_values: dict, previous: dict) -> dict:
    target = target_in_force(ind, year)
    total = by_sex_values.get("")
    value = total[0] if total else None
    met = _versus(value, target, previous.get(""), ind)
    sexes = [{"sex": s, "label": label, "value": by_sex_values[s][0], "base": None,
              "met": _versus(by_sex_values[s][0], target, previous.get(s), ind)} for s, label in SEXES if s in by_sex_values]
    parts = (met,) if total else tuple(s["met"] for s in sexes)
    first = total or next(iter(by_sex_values.values()))
    return {"value": value, "base": None, "met": met, "rest_value": None, "rest_met": None, "assessment": assess(*parts),
            "part_year": first[1], "source": first[2], "by_sex": sexes}


def _points(ind: Indicator, computed, recorded: dict, agreements: dict) -> dict[int, dict]:
    """Every year with a value: computed where the system has data for the year, else recorded."""
    points, previous = {}, {}
    for y in sorted(recorded.get(ind.pk, {})):
        points[y] = _recorded_point(ind, y, recorded[ind.pk][y], previous)
        previous = {s: v[0] for s, v in recorded[ind.pk][y].items()}
    if ind.computation in MEASURES:
        group = MEASURES[ind.computation][0]
        for y in sorted(computed.keys()):
            hist = computed.hist(y, group)
            if not hist.count:
                continue
            target = target_in_force(ind, y)
            m = measure(ind.computation, hist, target, ind.direction)
            points[y] = {**m, "part_year": "", "source": "Beregnet fra bosettingsdata",
                         "by_sex": by_sex(ind.computation, computed, y, target, ind.direction) if ind.by_sex else []}
    elif ind.computation == Computation.AGREEMENTS:
        last = None
        for y in sorted(agreements):
            met = (agreements[y] > last) if ind.must_increase and last is not None else None
            points[y] = {"value": agreements[y], "base": None, "met": met, "rest_value": None, "rest_met": None,
                         "assessment": assess(met), "part_year": "", "source": "Beregnet fra avtaleregisteret", "by_sex": []}
            last = agreements[y]
    for y, p in points.items():
        target = target_in_force(ind, y)
        p.update(year=y, target=float(target.target) if target else None,
                 rest_within_months=target.rest_within_months if target else None)
    return points


def _goal_assessment(indicators: list[dict]) -> str:
    known = [i["assessment"] for i in indicators if i["assessment"] not in (None, Assessment.NO_DATA)]
    if not known:
        return Assessment.NO_DATA
    if all(a == Assessment.MET for a in known):
        return Assessment.MET
    return Assessment.NOT_MET if all(a == Assessment.NOT_MET for a in known) else Assessment.PARTLY_MET


def _verdict(v: Verdict | None) -> dict | None:
    return v and {"period": v.period, "assessment": v.assessment, "label": v.get_assessment_display(), "note": v.note,
                  "source": v.source}


def _entry(ind: Indicator, points: dict, year: int, verdict) -> dict:
    target = target_in_force(ind, year)
    current = points.get(year, {})
    return {
        "code": ind.code, "name": ind.name, "unit": ind.unit, "unit_label": ind.get_unit_display(), "direction": ind.direction,
        "computed": ind.is_computed, "must_increase": ind.must_increase, "target_group": ind.target_group,
        "sex_breakdown": ind.by_sex, "source": ind.source, "description": ind.description,
        "target": float(target.target) if target else None, "target_source": target.source if target else "",
        "within_months": MEASURES.get(ind.computation, (None, None))[1],
        "rest_within_months": target.rest_within_months if target else None,
        "actual": current.get("value"), "base": current.get("base"), "met": current.get("met"),
        "rest_actual": current.get("rest_value"), "rest_met": current.get("rest_met"),
        "assessment": current.get("assessment", Assessment.NO_DATA), "part_year": current.get("part_year", ""),
        "by_sex": current.get("by_sex", []), "evaluation": _verdict(verdict),
        "trend": [{k: v for k, v in points[y].items() if k != "by_sex"} for y in sorted(points)],
    }


def count_assessments(items) -> dict:
    counts = {a: 0 for a in Assessment.values}
    counts["hidden"] = 0
    for i in items:
        counts[i["assessment"] or "hidden"] += 1
    return counts


def summary(goals: list[dict]) -> dict:
    indicators = [i for g in goals for i in g["indicators"]]
    by_indicator, by_goal = count_assessments(indicators), count_assessments(goals)
    evaluation = [g["evaluation"] for g in goals if g["evaluation"]]
    return {
        "indicators": len(indicators), "assessments": by_indicator, "goals": len(goals), "goal_assessments": by_goal,
        "met": by_indicator[Assessment.MET], "not_met": by_indicator[Assessment.NOT_MET],
        "no_value": by_indicator[Assessment.NO_DATA] + by_indicator["hidden"],
        # Table 9.1: "the other five goals are fully or partly reached" (line 6929).
        "evaluation": {"period": evaluation[0]["period"] if evaluation else None, "goals": len(evaluation),
                       "met_or_partly": sum(1 for v in evaluation if v["assessment"] in (Assessment.MET, Assessment.PARTLY_MET))},
    }


def goal_report(year: int, progress=lambda pct: None, frozen: dict | None = None) -> dict:
    """Goal achievement (måloppnåelse) for D1–D8 in a year, with each steering parameter's trend. `frozen`: the
    closed years' settlement summaries as stored (computed_by_year); without it every year is computed now."""
    indicators = list(Indicator.objects.prefetch_related("targets").order_by("goal", "order", "code"))
    progress(20)
    with report_transaction():
        computed = computed_by_year(year, frozen)
    progress(50)
    recorded, agreements = _recorded(year), agreements_by_year(year)
    verdicts = {(v.goal, v.indicator_id): v for v in Verdict.objects.order_by("period")}
    goals = {}
    for ind in indicators:
        goal = goals.setdefault(ind.goal, {"code": ind.goal, "label": ind.get_goal_display(), "indicators": [],
                                           "evaluation": _verdict(verdicts.get((ind.goal, None)))})
        goal["indicators"].append(_entry(ind, _points(ind, computed, recorded, agreements), year, verdicts.get((ind.goal, ind.pk))))
    for goal in goals.values():
        goal["assessment"] = _goal_assessment(goal["indicators"])
    progress(80)
    process = process_indicators(date(year, 1, 1), date(year, 12, 31))
    progress(90)
    goal_list = list(goals.values())
    return {"kind": "goals", "period": {"year": year, "label": str(year)}, "summary": summary(goal_list), "goals": goal_list,
            "process": process}
