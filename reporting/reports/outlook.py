"""What the monthly report adds for the ministry beyond the month itself: the D1 targets read from the goal
structure, IMDi's process indicators for the month, the waiting queue's trend over the last thirteen month ends,
the same month last year, and a year-end forecast against the need.

Forecast: the year's pace so far carried to December (settled so far x 12 / months gone), a plain linear
projection, stated as such on the page.
"""

import calendar
from datetime import date

from core.models import Region

from ..models import MONTH_NAMES
from .common import settled_persons, share
from .process import process_indicators
from .targets import allocation_target_results
from .waiting import waiting_counts, waiting_rows

TREND_MONTHS = 13  # this month and the twelve before: the same month last year is the first point


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _back(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 - n
    return index // 12, index % 12 + 1


def queue_trend(year: int, month: int) -> list[dict]:
    """Waiting and long-waiting persons at each of the last thirteen month ends, oldest first."""
    regions = list(Region.objects.all())
    points = []
    for n in reversed(range(TREND_MONTHS)):
        y, m = _back(year, month, n)
        waiting = waiting_counts(waiting_rows(_month_end(y, m)), regions)
        points.append({"year": y, "month": m, "label": f"{MONTH_NAMES[m - 1][:3]} {y}", "waiting": waiting.persons,
                       "long_waiting": waiting.long_waiting})
    return points


def _settled_in(start: date, end: date) -> int:
    return settled_persons(start, end).count()


def same_month_last_year(year: int, month: int, trend: list[dict]) -> dict:
    last = year - 1
    end = _month_end(last, month)
    return {"year": last, "month": month, "label": f"{MONTH_NAMES[month - 1]} {last}",
            "settled_month": _settled_in(date(last, month, 1), end), "settled_ytd": _settled_in(date(last, 1, 1), end),
            "waiting": trend[0]["waiting"], "long_waiting": trend[0]["long_waiting"]}


def forecast(settled_ytd: int, month: int, need) -> dict:
    projected = round(settled_ytd * 12 / month)
    need_total = need.total if need else None
    return {"method": "lineær fremskriving av årets tempo", "settled_ytd": settled_ytd, "forecast": projected,
            "need": need_total, "gap": projected - need_total if need_total is not None else None,
            "forecast_share_of_need": share(projected, need_total)}


def monthly_additions(period, settled, need) -> dict:
    """The monthly report's targets, process indicators and outlook for `period` (settled: so far this year)."""
    trend = queue_trend(period.year, period.month)
    return {
        "targets": allocation_target_results(settled, period.year),
        "process": process_indicators(period.month_start, period.end),
        "outlook": {"queue": trend, "last_year": same_month_last_year(period.year, period.month, trend),
                    "forecast": forecast(settled.count(), period.month, need)},
    }
