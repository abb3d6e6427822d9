"""The monthly settlement report (månedlig bosettingsrapport): two grouped statements over the persons, then a
roll-up in Python."""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, F, Q, When

from core.models import Region
from settlement.definitions import DatePart, placement, queue_keys, queue_population_q
from settlement.models import NATIONALITIES, NationalNeed, Person

from ..models import MONTH_NAMES
from .common import (
    GROUPS, TARGET_GROUPS, Histogram, flag, group_expr, grouping_sets, report_transaction, settled_persons, share, wait_columns,
)
from .outlook import TREND_MONTHS, monthly_additions, trend_start
from .places import (
    county_rows, finish, frame_municipalities, places_by_municipality, region_rows, roll_up, used_columns, used_population_q,
)
from .targets import TargetData
from .waiting import Waiting, waiting_columns, waiting_counts


@dataclass(frozen=True)
class Period:
    year: int
    month: int
    year_start: date
    month_start: date
    end: date

    @classmethod
    def of(cls, year: int, month: int) -> "Period":
        return cls(year, month, date(year, 1, 1), date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))

    @property
    def in_month(self) -> Q:
        return Q(settled_on__gte=self.month_start)

    @property
    def last_year(self) -> "Period":
        """The same month a year before (outlook.same_month_last_year)."""
        return Period.of(self.year - 1, self.month)

    def as_dict(self) -> dict:
        return {"year": self.year, "month": self.month, "start": self.month_start.isoformat(), "end": self.end.isoformat(),
                "label": f"{MONTH_NAMES[self.month - 1]} {self.year}"}


SETTLED_SETS = [("m",), ("nat",), ("grp", "in_general", "in_families", "in_minors", "days", "mkey"), ("mon",), ()]
QUEUE_SETS = [("region", "grp", "nat"), ("q_ready", "q_left", "q_long", "q_day"), ("m",)]


def settled_rows(period: Period) -> list[list[dict]]:
    """Statement 1, over the persons settled so far this year and so far last year by the same month's end
    (common.settled_persons): per municipality, per nationality, per (group, target groups, days, months key) and
    per month, the persons settled this year so far (ytd) and in the month; in all (the last, empty set), also last
    year's (last_ytd, last_month). Last year's persons are only in those two counts: a group of them alone is left out."""
    last = period.last_year
    this_year = Q(settled_on__gte=period.year_start)
    # Last year's rows only need the two flags: their other columns are left empty (not computed, one group).
    columns = {"m": F("placed_municipality"), "nat": F("nationality"), "grp": group_expr(),
               "mon": DatePart("settled_on", "month"), "in_month": flag(period.in_month), **wait_columns()}
    rows = (settled_persons(last.year_start, period.end).filter(this_year | Q(settled_on__lte=last.end))
            .annotate(cur=flag(this_year), last_month=flag(~this_year & last.in_month),
                      **{name: Case(When(this_year, then=expr)) for name, expr in columns.items()})
            .values(*columns, "cur", "last_month"))
    *sets, (total,) = grouping_sets(rows, SETTLED_SETS, {"ytd": "SUM(cur)", "month": "SUM(in_month)", "n": "COUNT(*)",
                                                         "last_month": "SUM(last_month)"})
    return [[r for r in rows if r["ytd"]] for rows in sets] + [{"ytd": total["n"] - (total["ytd"] or 0),
                                                                 "month": total["last_month"] or 0}]


def queue_rows(period: Period) -> list[list[dict]]:
    """Statement 2, over the persons who may be waiting at one of the queue trend's month ends or on the year's
    places at the month's end: waiting and long-waiting at the month's end per (region, group, nationality);
    the queue keys (settlement.definitions.queue_keys) for the trend; used places per municipality."""
    first = trend_start(period.year, period.month)
    rows = (placement(Person.objects.all())
            .filter(queue_population_q(first, period.end) | used_population_q(period.year, period.end))
            .annotate(region=F("household__region_id"), grp=group_expr(), nat=F("nationality"), m=F("placed_municipality"),
                      **waiting_columns(period.end), **queue_keys(first, TREND_MONTHS), **used_columns(period.year, period.end))
            .values("region", "grp", "nat", "m", "w_end", "l_end", "q_ready", "q_left", "q_long", "q_day",
                    "u_settled", "u_assigned"))
    return grouping_sets(rows, QUEUE_SETS, {"waiting": "SUM(w_end)", "long_waiting": "SUM(l_end)", "n": "COUNT(*)",
                                            "used_settled": "SUM(u_settled)", "used_assigned": "SUM(u_assigned)"},
                         materialize=True)


def _histograms(rows) -> tuple[dict, dict, TargetData]:
    """Waiting-time histograms per group so far this year and in the month, and per target group so far."""
    ytd_by_group, month_by_group = defaultdict(Histogram), defaultdict(Histogram)
    targets = {g: Histogram() for g in TARGET_GROUPS}
    for r in rows:
        ytd_by_group[r["grp"]].add(r["days"], r["ytd"], r["mkey"])
        if r["month"]:
            month_by_group[r["grp"]].add(r["days"], r["month"], r["mkey"])
        for g, hist in targets.items():
            if r[f"in_{g}"]:
                hist.add(r["days"], r["ytd"], r["mkey"])
    by_target_group = TargetData(empty=Histogram)
    for g, hist in targets.items():
        by_target_group.add(None, g, "", hist)
    return ytd_by_group, month_by_group, by_target_group


def _series(per_month: dict, month: int, need_total: int | None) -> list[dict]:
    """Settled per month of the year, cumulated, against an even twelfth of the year's need."""
    cumulative, series = 0, []
    for m in range(1, 13):
        n = per_month.get(m, 0) if m <= month else None
        if n is not None:
            cumulative += n
        series.append({"month": m, "label": MONTH_NAMES[m - 1], "settled": n, "cumulative": cumulative if m <= month else None,
                       "target_cumulative": round(need_total * m / 12) if need_total else None})
    return series


def _nationalities(settled: dict, waiting: dict) -> list[dict]:
    return sorted(
        ({"code": code, "label": NATIONALITIES.get(code, code),
          "settled_month": settled.get(code, {}).get("month", 0), "settled_ytd": settled.get(code, {}).get("ytd", 0),
          "waiting": waiting[code]["persons"], "long_waiting": waiting[code]["long_waiting"]}
         for code in set(settled) | set(waiting)),
        key=lambda r: (-r["settled_ytd"], -r["waiting"], r["label"]),
    )


def _national(nation: dict, need, month: int, waiting: Waiting, decisions: dict) -> dict:
    need_total = need.total if need else None
    return {
        **finish(nation),
        "need": need_total,
        "need_adults_and_families": need.adults_and_families if need else None,
        "need_unaccompanied_minors": need.unaccompanied_minors if need else None,
        "need_resettlement_refugees": need.resettlement_refugees if need else None,
        "target_to_date": round(need_total * month / 12) if need_total else None,
        "share_of_need": share(nation["settled_ytd"], need_total),
        "waiting": waiting.persons,
        "long_waiting": waiting.long_waiting,
        "decisions": decisions,
    }


def _wait_times(month_by_group: dict, ytd_by_group: dict) -> dict:
    ytd_all = sum(ytd_by_group.values(), Histogram())
    return {
        "month": sum(month_by_group.values(), Histogram()).stats(),
        "ytd": ytd_all.stats(),
        "by_group": [{"group": g, "label": label, **ytd_by_group[g].stats()} for g, label in GROUPS],
        "distribution": ytd_all.distribution(),
    }


def monthly_report(year: int, month: int, progress=lambda pct: None) -> dict:
    """The monthly settlement report (månedlig bosettingsrapport) for a month: two statements over the persons
    (settled_rows, with last year's month; queue_rows), the decisions in force (two), the requested places, the
    process indicators and the frame (the month's municipalities, regions, need, indicators), whatever the number
    of persons or municipalities; the roll-up to county, region and nation in one Python pass."""
    period = Period.of(year, month)
    with report_transaction():
        regions = list(Region.objects.order_by("name"))
        progress(10)
        by_m, by_nat, waits, per_month, last_year = settled_rows(period)
        progress(35)
        waiting_rows, key_rows, used_rows = queue_rows(period)
        progress(55)
        places = places_by_municipality(
            {r["m"]: r for r in by_m}, {r["m"]: {"settled": r["used_settled"], "assigned": r["used_assigned"]}
                                        for r in used_rows if r["m"] is not None and (r["used_settled"] or r["used_assigned"])},
            year, period.end)
        need = NationalNeed.objects.filter(year=year).first()
        ytd_by_group, month_by_group, by_target_group = _histograms(waits)
        waiting = waiting_counts(waiting_rows, regions)
        settled_ytd = sum(r["ytd"] for r in by_m)
        additions = monthly_additions(period, by_target_group, settled_ytd, key_rows, need, regions, last_year)
        # The frame the roll-up fills: the month's municipalities, and any other with a figure (places.py).
        municipalities = frame_municipalities(period.month_start, period.end, places)
    progress(75)

    rollup = roll_up(municipalities, places)
    figures = {
        "kind": "monthly",
        "period": period.as_dict(),
        "national": _national(rollup.nation, need, month, waiting, rollup.decisions),
        "series": _series({r["mon"]: r["ytd"] for r in per_month}, month, need.total if need else None),
        "waiting_by_group": [{"group": g, "label": label, **waiting.by_group[g]} for g, label in GROUPS],
        "wait_times": _wait_times(month_by_group, ytd_by_group),
        # The target groups of appendix 2, so far this year: every card and table reads these, not `wait_times`.
        "target_groups": {g: {"label": label, **by_target_group.hist(None, g).stats()} for g, label in TARGET_GROUPS.items()},
        **additions,  # targets, process indicators, queue trend, forecast
        "regions": region_rows(regions, rollup, waiting.by_region),
        "counties": county_rows(rollup),
        "municipalities": rollup.municipalities,
        "nationalities": _nationalities({r["nat"]: r for r in by_nat}, waiting.by_nationality),
    }
    progress(95)
    return figures
