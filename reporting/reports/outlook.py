"""What the monthly report adds for the ministry beyond the month itself: the D1 targets read from the goal
structure, IMDi's process indicators for the month, the waiting queue's trend over the last thirteen month ends,
the same month last year, and a year-end forecast against the need.

Forecast: the year's pace so far carried to December (settled so far x 12 / months gone), a plain linear
projection, stated as such on the page.

The queue's trend comes from the monthly report's second statement (settlement.definitions.queue_keys: waiting
and long-waiting at each month end from one grouped scan); last year's month is counted in its first statement.
"""

import calendar
from datetime import date

from settlement.definitions import queue_at_month_ends

from ..models import MONTH_NAMES
from .common import share
from .process import process_indicators
from .targets import allocation_target_results

TREND_MONTHS = 13  # this month and the twelve before: the same month last year is the first point


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _back(year: int, month: int, n: int) -> tuple[int, int]:
    index = year * 12 + month - 1 - n
    return index // 12, index % 12 + 1


def trend_start(year: int, month: int) -> date:
    """The first month end of the queue's trend: the same month last year."""
    return _month_end(*_back(year, month, TREND_MONTHS - 1))


def queue_trend(year: int, month: int, key_rows) -> list[dict]:
    """Waiting and long-waiting persons at each of the last thirteen month ends, oldest first, from rows of the
    queue keys (q_ready, q_left, q_long, q_day, n)."""
    counts = queue_at_month_ends(((r["q_ready"], r["q_left"], r["q_long"], r["q_day"], r["n"]) for r in key_rows),
                                 trend_start(year, month), TREND_MONTHS)
    points = []
    for n, (waiting, long_waiting) in zip(reversed(range(TREND_MONTHS)), counts):
        y, m = _back(year, month, n)
        points.append({"year": y, "month": m, "label": f"{MONTH_NAMES[m - 1][:3]} {y}", "waiting": waiting,
                       "long_waiting": long_waiting})
    return points


def same_month_last_year(year: int, month: int, trend: list[dict], settled: dict) -> dict:
    """The same month a year ago: settled in the month and so far that year (`settled`: {"month", "ytd"}, from
    the monthly report's first statement, common.settled_persons), waiting at its end (the trend's first point)."""
    last = year - 1
    return {"year": last, "month": month, "label": f"{MONTH_NAMES[month - 1]} {last}",
            "settled_month": settled["month"], "settled_ytd": settled["ytd"],
            "waiting": trend[0]["waiting"], "long_waiting": trend[0]["long_waiting"]}


def forecast(settled_ytd: int, month: int, need) -> dict:
    projected = round(settled_ytd * 12 / month)
    need_total = need.total if need else None
    return {"method": "lineær fremskriving av årets tempo", "settled_ytd": settled_ytd, "forecast": projected,
            "need": need_total, "gap": projected - need_total if need_total is not None else None,
            "forecast_share_of_need": share(projected, need_total)}


def monthly_additions(period, target_data, settled_ytd: int, key_rows, need, regions, last_year: dict) -> dict:
    """The monthly report's targets, process indicators and outlook for `period` (`last_year`: settled in the same
    month a year ago and so far that year, same_month_last_year)."""
    trend = queue_trend(period.year, period.month, key_rows)
    return {
        "targets": allocation_target_results(target_data, period.year),
        "process": process_indicators(period.month_start, period.end, regions),
        "outlook": {"queue": trend, "last_year": same_month_last_year(period.year, period.month, trend, last_year),
                    "forecast": forecast(settled_ytd, period.month, need)},
    }
