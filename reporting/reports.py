"""Report computations: the monthly settlement report and the goal-achievement report.

Both are read-only and work from dates, not current statuses, so a past month computes to the
same figures later. Each runs a fixed number of aggregate queries, whatever the number of
municipalities or persons; the roll-up to county, region and nation is done in Python.

Definitions:
- "within N months" is at most 91, 183 or 365 days from the residence permit to the person's
  settlement date;
- a person is waiting at the end of the month when the household was settlement-ready by then and
  neither the person was settled nor the household had left the flow by then;
- long-waiting (lengeventende): waiting since before the month's end minus 3 months (minors,
  families with children) or 6 months (others);
- the general settlement targets count everyone but unaccompanied minors.
"""

import calendar
from collections import defaultdict
from datetime import date
from decimal import Decimal
from statistics import median

from dateutil.relativedelta import relativedelta
from django.db.models import Case, CharField, Count, DurationField, ExpressionWrapper, F, Q, Value, When
from django.db.models.functions import ExtractMonth, ExtractYear

from core.models import Municipality, Region
from settlement.models import NATIONALITIES, Category, Composition, MunicipalDecision, NationalNeed, Person, RequestedPlaces

from .models import MONTH_NAMES, Computation, Direction, Indicator, IndicatorValue

WITHIN_DAYS = {3: 91, 6: 183, 12: 365}
DAYS_PER_MONTH = 365.25 / 12
GROUPS = [
    ("single_adult", "Enslige voksne"),
    ("family_with_children", "Familier med barn"),
    ("family_without_children", "Familier uten barn"),
    ("unaccompanied_minor", "Enslige mindreårige"),
    ("resettlement", "Overføringsflyktninger"),
]
GROUP_LABELS = dict(GROUPS)
DISTRIBUTION = [("0–3 mnd", 0, 91), ("3–6 mnd", 92, 183), ("6–9 mnd", 184, 274), ("9–12 mnd", 275, 365), ("over 12 mnd", 366, None)]
# The 2013 allocation letter's targets (tildelingsbrev): share within a number of months.
ALLOCATION_TARGETS = [
    ("general_within_6m", "Bosatt innen 6 måneder (alle unntatt enslige mindreårige)", 70.0),
    ("general_within_12m", "Bosatt innen 12 måneder (resten innen ett år)", 100.0),
    ("families_within_3m", "Barnefamilier bosatt innen 3 måneder", 75.0),
    ("minors_within_3m", "Enslige mindreårige bosatt innen 3 måneder", 90.0),
]


def _wait_expr():
    return ExpressionWrapper(F("settled_on") - F("residence_permit_date"), output_field=DurationField())


def _is_resettlement():
    return Case(When(household__category=Category.RESETTLEMENT, then=Value("1")), default=Value("0"), output_field=CharField())


def _group_of(composition: str, resettlement: str) -> str:
    return "resettlement" if resettlement == "1" else composition


def _share(part, whole):
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
        expanded_median = _weighted_median(self.days)
        return {
            "base": n,
            "average_months": round(total / n / DAYS_PER_MONTH, 1),
            "median_months": round(expanded_median / DAYS_PER_MONTH, 1),
            "share_within_3m": _share(self.within(3), n),
            "share_within_6m": _share(self.within(6), n),
            "share_within_12m": _share(self.within(12), n),
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


def _histograms(rows, key_fields) -> dict:
    """Histograms keyed by (key fields..., group) from rows of (fields, composition, resettlement, wait, n)."""
    result = defaultdict(Histogram)
    for r in rows:
        group = _group_of(r["household__composition"], r["resettlement"])
        key = tuple(r[f] for f in key_fields) + (group,)
        result[key].add(r["wait"].days, r["n"])
    return result


def allocation_target_results(hists_by_group: dict) -> list[dict]:
    """Actual shares against the allocation letter's targets, from histograms keyed by group."""
    general = Histogram()
    for g, h in hists_by_group.items():
        if g != "unaccompanied_minor":
            general.merge(h)
    families = hists_by_group.get("family_with_children", Histogram())
    minors = hists_by_group.get("unaccompanied_minor", Histogram())
    actual = {
        "general_within_6m": (general.within(6), general.count),
        "general_within_12m": (general.within(12), general.count),
        "families_within_3m": (families.within(3), families.count),
        "minors_within_3m": (minors.within(3), minors.count),
    }
    results = []
    for key, label, target in ALLOCATION_TARGETS:
        part, base = actual[key]
        share = _share(part, base)
        results.append({"key": key, "label": label, "target": target, "actual": share, "base": base,
                        "met": None if share is None else share >= target})
    return results


def monthly_report(year: int, month: int, progress=lambda pct: None) -> dict:
    """The monthly settlement report (månedlig bosettingsrapport) for a month."""
    year_start = date(year, 1, 1)
    month_start = date(year, month, 1)
    end = date(year, month, calendar.monthrange(year, month)[1])
    in_month = Q(settled_on__gte=month_start)
    settled = Person.objects.filter(settled_on__gte=year_start, settled_on__lte=end, household__municipality__isnull=False)

    # 1. Municipalities with their county and region: the frame the roll-up fills.
    municipalities = list(Municipality.objects.select_related("county", "region").order_by("number"))
    regions = list(Region.objects.order_by("name"))
    progress(10)

    # 2. Settled persons per municipality, this month and so far this year.
    by_municipality = {r["household__municipality_id"]: r for r in settled.values("household__municipality_id").annotate(
        month=Count("id", filter=in_month), ytd=Count("id"))}
    # 3. Persons assigned (søkt ut) by the month's end but not settled by then, for this year's places.
    assigned = dict(
        Person.objects.filter(household__settlement_year=year, household__assigned_on__lte=end, household__municipality__isnull=False)
        .filter(Q(settled_on__isnull=True) | Q(settled_on__gt=end))
        .values_list("household__municipality_id").annotate(n=Count("id"))
    )
    decided = {m: (p, em) for m, p, em in MunicipalDecision.objects.filter(year=year).values_list(
        "municipality_id", "places", "unaccompanied_minors")}
    requested = dict(RequestedPlaces.objects.filter(year=year).values_list("municipality_id", "persons"))
    need = NationalNeed.objects.filter(year=year).first()
    progress(35)

    # 4. Waiting times: one histogram per (in month?, group).
    wait_rows = (settled.annotate(wait=_wait_expr(), resettlement=_is_resettlement(), in_month=Case(
        When(in_month, then=Value("1")), default=Value("0"), output_field=CharField()))
        .values("in_month", "household__composition", "resettlement", "wait").annotate(n=Count("id")))
    hists = _histograms(wait_rows, ["in_month"])
    ytd_by_group = defaultdict(Histogram)
    month_by_group = defaultdict(Histogram)
    for (flag, group), h in hists.items():
        ytd_by_group[group].merge(h)
        if flag == "1":
            month_by_group[group].merge(h)
    ytd_all = sum(ytd_by_group.values(), Histogram())
    month_all = sum(month_by_group.values(), Histogram())
    progress(55)

    # 5. Monthly series for the year so far.
    series_rows = dict(settled.annotate(m=ExtractMonth("settled_on")).values_list("m").annotate(n=Count("id")))
    # 6. Waiting at the month's end, per region, group and nationality, with the long-waiting.
    long_q = (Q(household__waiting_target_months=3, household__waiting_since__lt=end - relativedelta(months=3))
              | Q(household__waiting_target_months=6, household__waiting_since__lt=end - relativedelta(months=6)))
    waiting_rows = list(
        Person.objects.filter(household__settlement_ready_on__lte=end)
        .filter(Q(settled_on__isnull=True) | Q(settled_on__gt=end))
        .filter(Q(household__exited_on__isnull=True) | Q(household__exited_on__gt=end))
        .annotate(resettlement=_is_resettlement())
        .values("household__region_id", "household__composition", "resettlement", "nationality")
        .annotate(n=Count("id"), long=Count("id", filter=long_q))
    )
    # 7. Settled by nationality.
    nationality_rows = settled.values("nationality").annotate(month=Count("id", filter=in_month), ytd=Count("id"))
    progress(75)

    # --- Roll-up in Python -----------------------------------------------------------------------
    def empty_row():
        return {"settled_month": 0, "settled_ytd": 0, "assigned": 0, "requested": 0, "decided": 0,
                "decided_minors": 0, "municipalities": 0}

    def finish(row):
        row["place_use"] = _share(row["settled_ytd"] + row["assigned"], row["decided"])
        return row

    muni_rows, county_rows, region_rows, nation = [], defaultdict(empty_row), defaultdict(empty_row), empty_row()
    decision_counts = {"more": 0, "same": 0, "fewer": 0, "nothing": 0}
    for m in municipalities:
        s = by_municipality.get(m.pk, {})
        places, minors = decided.get(m.pk, (None, 0))
        req = requested.get(m.pk)
        row = {"number": m.number, "name": m.name, "county": m.county.name, "region": m.region.name,
               "settled_month": s.get("month", 0), "settled_ytd": s.get("ytd", 0), "assigned": assigned.get(m.pk, 0),
               "requested": req or 0, "decided": places or 0, "decided_minors": minors, "has_decision": places is not None}
        if req:
            if places is None:
                row["decision"] = "nothing"
            else:
                row["decision"] = "more" if places > req else "same" if places == req else "fewer"
            decision_counts[row["decision"]] += 1
        else:
            row["decision"] = None
        muni_rows.append(finish(row))
        for target in (county_rows[(m.county.number, m.county.name, m.region.name)], region_rows[m.region.name], nation):
            for k in ("settled_month", "settled_ytd", "assigned", "requested", "decided", "decided_minors"):
                target[k] += row[k]
            target["municipalities"] += 1

    waiting_by_region = defaultdict(lambda: {"persons": 0, "long_waiting": 0})
    waiting_by_group = defaultdict(lambda: {"persons": 0, "long_waiting": 0})
    waiting_by_nationality = defaultdict(lambda: {"persons": 0, "long_waiting": 0})
    region_names = {r.pk: r.name for r in regions}
    for r in waiting_rows:
        group = _group_of(r["household__composition"], r["resettlement"])
        for bucket in (waiting_by_region[region_names[r["household__region_id"]]], waiting_by_group[group],
                       waiting_by_nationality[r["nationality"]]):
            bucket["persons"] += r["n"]
            bucket["long_waiting"] += r["long"]

    regions_out = []
    for region in regions:
        row = finish(region_rows[region.name])
        row.update({"name": region.name, "waiting": waiting_by_region[region.name]["persons"],
                    "long_waiting": waiting_by_region[region.name]["long_waiting"]})
        regions_out.append(row)
    counties_out = [finish({"number": k[0], "name": k[1], "region": k[2], **v}) for k, v in sorted(county_rows.items())]

    need_total = need.total if need else None
    cumulative, series = 0, []
    for m in range(1, 13):
        n = series_rows.get(m, 0) if m <= month else None
        if n is not None:
            cumulative += n
        series.append({"month": m, "label": MONTH_NAMES[m - 1], "settled": n, "cumulative": cumulative if m <= month else None,
                       "target_cumulative": round(need_total * m / 12) if need_total else None})

    settled_by_nationality = {r["nationality"]: r for r in nationality_rows}
    nationalities = sorted(
        ({"code": code, "label": NATIONALITIES.get(code, code),
          "settled_month": settled_by_nationality.get(code, {}).get("month", 0),
          "settled_ytd": settled_by_nationality.get(code, {}).get("ytd", 0),
          "waiting": waiting_by_nationality[code]["persons"], "long_waiting": waiting_by_nationality[code]["long_waiting"]}
         for code in set(settled_by_nationality) | set(waiting_by_nationality)),
        key=lambda r: (-r["settled_ytd"], -r["waiting"], r["label"]),
    )

    nation = finish(nation)
    waiting_total = sum(v["persons"] for v in waiting_by_group.values())
    long_total = sum(v["long_waiting"] for v in waiting_by_group.values())
    figures = {
        "kind": "monthly",
        "period": {"year": year, "month": month, "start": month_start.isoformat(), "end": end.isoformat(),
                   "label": f"{MONTH_NAMES[month - 1]} {year}"},
        "national": {
            **nation,
            "need": need_total,
            "need_adults_and_families": need.adults_and_families if need else None,
            "need_unaccompanied_minors": need.unaccompanied_minors if need else None,
            "need_resettlement_refugees": need.resettlement_refugees if need else None,
            "target_to_date": round(need_total * month / 12) if need_total else None,
            "share_of_need": _share(nation["settled_ytd"], need_total),
            "waiting": waiting_total,
            "long_waiting": long_total,
            "decisions": decision_counts,
        },
        "series": series,
        "waiting_by_group": [{"group": g, "label": label, **waiting_by_group[g]} for g, label in GROUPS],
        "wait_times": {
            "month": month_all.stats(),
            "ytd": ytd_all.stats(),
            "by_group": [{"group": g, "label": label, **ytd_by_group[g].stats()} for g, label in GROUPS],
            "distribution": ytd_all.distribution(),
        },
        "targets": allocation_target_results(ytd_by_group),
        "regions": regions_out,
        "counties": counties_out,
        "municipalities": muni_rows,
        "nationalities": nationalities,
    }
    progress(95)
    return figures


# --- Goal achievement --------------------------------------------------------------------------


def _computed_values(up_to_year: int) -> dict[int, dict[str, float]]:
    """Every computable indicator for every year with settlements, from one grouped query."""
    rows = (Person.objects.filter(settled_on__isnull=False, settled_on__year__lte=up_to_year)
            .annotate(wait=_wait_expr(), resettlement=_is_resettlement(), y=ExtractYear("settled_on"))
            .values("y", "household__composition", "resettlement", "wait").annotate(n=Count("id")))
    by_year = defaultdict(lambda: defaultdict(Histogram))
    for r in rows:
        # Families with children count for the family target whether or not they came as resettlement refugees.
        by_year[r["y"]][r["household__composition"]].add(r["wait"].days, r["n"])
    result = {}
    for y, comp in by_year.items():
        general = Histogram()
        for c, h in comp.items():
            if c != Composition.UNACCOMPANIED_MINOR:
                general.merge(h)
        minors = comp.get(Composition.UNACCOMPANIED_MINOR, Histogram())
        families = comp.get(Composition.FAMILY_WITH_CHILDREN, Histogram())
        gs, ms = general.stats(), minors.stats()
        result[y] = {
            Computation.GENERAL_WITHIN_6M: gs["share_within_6m"],
            Computation.GENERAL_WITHIN_12M: gs["share_within_12m"],
            Computation.FAMILIES_WITHIN_3M: families.stats()["share_within_3m"],
            Computation.MINORS_WITHIN_3M: ms["share_within_3m"],
            Computation.MINORS_WITHIN_6M: ms["share_within_6m"],
            Computation.AVERAGE_WAIT: gs["average_months"],
            Computation.MINORS_AVERAGE_WAIT: ms["average_months"],
        }
    return result


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


def goal_report(year: int, progress=lambda pct: None) -> dict:
    """Goal achievement (måloppnåelse) for D1–D8 in a year, with each indicator's trend."""
    indicators = list(Indicator.objects.prefetch_related("targets").order_by("goal", "order", "code"))
    progress(20)
    computed = _computed_values(year)
    progress(60)
    manual = defaultdict(dict)
    for indicator_id, y, value in IndicatorValue.objects.filter(year__lte=year).values_list("indicator_id", "year", "value"):
        manual[indicator_id][y] = float(value)
    goals = {}
    for ind in indicators:
        targets = [(t.year, t.target) for t in ind.targets.all()]
        # Recorded values cover years before the system's own data (e.g. from the 2014 evaluation);
        # a computed value for a year takes precedence.
        values = dict(manual.get(ind.pk, {}))
        if ind.is_computed:
            values.update({y: v[ind.computation] for y, v in computed.items() if v.get(ind.computation) is not None})
        years = sorted(values)
        previous = {y: values[years[i - 1]] if i else None for i, y in enumerate(years)}
        trend = [{"year": y, "value": values[y], "target": _target_for(targets, y),
                  "met": _met(values[y], _target_for(targets, y), ind.direction, previous[y], ind.must_increase)}
                 for y in years]
        target = _target_for(targets, year)
        actual = values.get(year)
        prior = max((y for y in years if y < year), default=None)
        goal = goals.setdefault(ind.goal, {"code": ind.goal, "label": ind.get_goal_display(), "indicators": []})
        goal["indicators"].append({
            "code": ind.code, "name": ind.name, "unit": ind.unit, "unit_label": ind.get_unit_display(),
            "direction": ind.direction, "computed": ind.is_computed, "target": target, "actual": actual,
            "must_increase": ind.must_increase,
            "met": _met(actual, target, ind.direction, values.get(prior), ind.must_increase), "trend": trend,
        })
    progress(90)
    all_indicators = [i for g in goals.values() for i in g["indicators"]]
    return {
        "kind": "goals",
        "period": {"year": year, "label": str(year)},
        "summary": {"indicators": len(all_indicators), "met": sum(1 for i in all_indicators if i["met"] is True),
                    "not_met": sum(1 for i in all_indicators if i["met"] is False),
                    "no_value": sum(1 for i in all_indicators if i["met"] is None)},
        "goals": list(goals.values()),
    }
