"""The monthly settlement report (månedlig bosettingsrapport): eleven grouped queries, then a roll-up in Python."""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, CharField, Count, Q, Value, When
from django.db.models.functions import ExtractMonth

from core.models import Municipality, Region
from settlement.models import NATIONALITIES, NationalNeed

from ..models import MONTH_NAMES
from .common import GROUPS, TARGET_GROUPS, WAIT_FIELDS, Histogram, histograms, settled_persons, share, target_histograms, wait_annotations
from .places import county_rows, finish, places_by_municipality, region_rows, roll_up
from .outlook import monthly_additions
from .waiting import Waiting, waiting_counts, waiting_rows


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

    def as_dict(self) -> dict:
        return {"year": self.year, "month": self.month, "start": self.month_start.isoformat(), "end": self.end.isoformat(),
                "label": f"{MONTH_NAMES[self.month - 1]} {self.year}"}


def _settled(period: Period):
    """Persons settled from the start of the year to the month's end (common.settled_persons)."""
    return settled_persons(period.year_start, period.end)


def _wait_histograms(settled, period: Period) -> tuple[dict, dict, dict]:
    """One grouped query: waiting-time histograms per group, so far this year and in the month, and per target
    group so far this year."""
    rows = list(settled.annotate(**wait_annotations(), in_month=Case(
        When(period.in_month, then=Value("1")), default=Value("0"), output_field=CharField()))
        .values("in_month", *WAIT_FIELDS).annotate(n=Count("id")))
    ytd_by_group, month_by_group = defaultdict(Histogram), defaultdict(Histogram)
    for (flag, group), h in histograms(rows, ["in_month"]).items():
        ytd_by_group[group].merge(h)
        if flag == "1":
            month_by_group[group].merge(h)
    by_target_group = defaultdict(Histogram)
    for (_, group), h in target_histograms(rows, ["in_month"]).items():
        by_target_group[group].merge(h)
    return ytd_by_group, month_by_group, by_target_group


def _settled_per_month(settled) -> dict[int, int]:
    return dict(settled.annotate(m=ExtractMonth("settled_on")).values_list("m").annotate(n=Count("id")))


def _settled_by_nationality(settled, period: Period) -> dict[str, dict]:
    rows = settled.values("nationality").annotate(month=Count("id", filter=period.in_month), ytd=Count("id"))
    return {r["nationality"]: r for r in rows}


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
    """The monthly settlement report (månedlig bosettingsrapport) for a month."""
    period = Period.of(year, month)
    settled = _settled(period)
    # The frame the roll-up fills: municipalities with their county and region.
    municipalities = list(Municipality.objects.select_related("county", "region").order_by("number"))
    regions = list(Region.objects.order_by("name"))
    progress(10)
    places = places_by_municipality(settled, period.in_month, year, period.end, [m.pk for m in municipalities])
    need = NationalNeed.objects.filter(year=year).first()
    progress(35)
    ytd_by_group, month_by_group, by_target_group = _wait_histograms(settled, period)
    progress(55)
    per_month = _settled_per_month(settled)
    waiting = waiting_counts(waiting_rows(period.end), regions)
    by_nationality = _settled_by_nationality(settled, period)
    progress(75)

    rollup = roll_up(municipalities, places)
    figures = {
        "kind": "monthly",
        "period": period.as_dict(),
        "national": _national(rollup.nation, need, month, waiting, rollup.decisions),
        "series": _series(per_month, month, need.total if need else None),
        "waiting_by_group": [{"group": g, "label": label, **waiting.by_group[g]} for g, label in GROUPS],
        "wait_times": _wait_times(month_by_group, ytd_by_group),
        # The target groups of appendix 2, so far this year: every card and table reads these, not `wait_times`.
        "target_groups": {g: {"label": label, **by_target_group[g].stats()} for g, label in TARGET_GROUPS.items()},
        **monthly_additions(period, settled, need),  # targets, process indicators, queue trend, forecast
        "regions": region_rows(regions, rollup, waiting.by_region),
        "counties": county_rows(rollup),
        "municipalities": rollup.municipalities,
        "nationalities": _nationalities(by_nationality, waiting.by_nationality),
    }
    progress(95)
    return figures
