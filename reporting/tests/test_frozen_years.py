"""Closed years frozen (issue 14): a goal report reads a closed year's settlement figures as first computed.

Today is 15 March 2026 here: 2025 (the dataset's year, report_data) is closed, 2026 is the current year.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.models import Region
from reporting import services
from reporting.models import FrozenGoalYear, ReportKind, ReportSnapshot
from reporting.reference import load_indicators
from reporting.reports import goal_report
from settlement.definitions import months_key, months_waited, within_months
from settlement.models import Composition
from settlement.tests import report_data

CLOSED, CURRENT = 2025, 2026


@pytest.fixture
def march_2026(time_machine):
    time_machine.move_to(datetime(2026, 3, 15, 12, tzinfo=ZoneInfo("Europe/Oslo")), tick=False)


def _settle(data, settled: date, permit: date, n: int = 1):
    for _ in range(n):
        report_data.make_household(composition=Composition.SINGLE_ADULT, permit=permit, settled=settled,
                                   municipality=data["0301"], region=Region.objects.get(code="ost"), year=settled.year)


def _snapshot(year: int) -> dict:
    version = ReportSnapshot.objects.filter(kind=ReportKind.GOALS, year=year).count() + 1
    return services.run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.GOALS, year=year, version=version).pk).figures


def _d11(figures: dict) -> dict:
    """D1.1 (within 6 months): {year: (value, base)} from its trend."""
    ind = next(i for g in figures["goals"] for i in g["indicators"] if i["code"] == "D1.1")
    return {t["year"]: (t["value"], t["base"]) for t in ind["trend"]}


def test_months_waited_is_the_within_rule():
    """months_waited <= N exactly when settled within N months (settlement.definitions), on the month-end cases."""
    pairs = [(date(2025, 10, 30), date(2025, 4, 30)), (date(2025, 10, 31), date(2025, 4, 30)),
             (date(2026, 2, 28), date(2025, 8, 31)), (date(2026, 3, 1), date(2025, 8, 31)),
             (date(2025, 1, 1), date(2025, 1, 1)), (date(2024, 12, 1), date(2025, 1, 1)),
             (date(2025, 3, 31), date(2025, 2, 28)), (date(2025, 3, 1), date(2025, 2, 28))]
    for later, earlier in pairs:
        for n in range(0, 8):
            assert (months_waited(later, earlier) <= n) == within_months(later, earlier, n), (
                later, earlier, n, months_key(later, earlier))


def test_a_closed_year_is_frozen_at_its_first_computation(data, march_2026):
    load_indicators()
    _settle(data, date(CLOSED, 9, 1), date(CLOSED, 1, 15), n=2)  # more than 6 months
    _settle(data, date(CURRENT, 2, 1), date(CURRENT, 1, 10))
    first = _snapshot(CLOSED)
    assert set(FrozenGoalYear.objects.values_list("year", flat=True)) == {CLOSED}
    # Recorded with the snapshot that froze it (and cleared with it when the demo's cases are reset).
    assert FrozenGoalYear.objects.get().frozen_by == ReportSnapshot.objects.get(kind=ReportKind.GOALS, year=CLOSED)
    before = _d11(first)[CLOSED]
    # A late correction of the closed year: two more settled in 2025, within 6 months.
    _settle(data, date(CLOSED, 5, 1), date(CLOSED, 2, 1), n=2)
    assert _d11(goal_report(CLOSED))[CLOSED][1] == before[1] + 2  # computed from the data as it is now
    again = _snapshot(CLOSED)
    assert again["goals"] == first["goals"]  # what the page and the API show: the frozen figures
    # The current year's report reads 2025 as frozen and computes 2026 from the data as it is.
    current = _snapshot(CURRENT)
    assert _d11(current)[CLOSED] == before and _d11(current)[CURRENT] == (100.0, 1)
    _settle(data, date(CURRENT, 3, 1), date(CURRENT - 1, 6, 1))
    assert _d11(_snapshot(CURRENT))[CURRENT] == (50.0, 2)  # the current year is always live


def test_an_admin_recomputes_closed_years_explicitly(data, actors, march_2026):
    load_indicators()
    before = _d11(_snapshot(CLOSED))[CLOSED]
    _settle(data, date(CLOSED, 5, 1), date(CLOSED, 2, 1), n=2)
    with pytest.raises(PermissionDenied):
        services.recompute_closed_goal_years(actors["cw_ost"], from_year=CLOSED)
    with pytest.raises(ValidationError):
        services.recompute_closed_goal_years(actors["admin"], from_year=CURRENT)
    assert _d11(_snapshot(CLOSED))[CLOSED] == before
    assert services.recompute_closed_goal_years(actors["admin"], from_year=CLOSED) == [CLOSED]
    assert _d11(_snapshot(CLOSED))[CLOSED][1] == before[1] + 2
    # The figures it replaced stay in the history, with who unfroze them.
    deleted = FrozenGoalYear.history.filter(history_type="-").get()
    assert deleted.year == CLOSED and deleted.history_user is not None


def test_years_before_the_first_frozen_stay_frozen_and_empty_years_count(data, march_2026):
    """Every year up to the latest stored one is frozen: a year frozen with nobody settled stays empty."""
    load_indicators()
    _snapshot(2012)  # nothing settled up to 2012: stored empty
    assert dict(FrozenGoalYear.objects.values_list("year", "rows")) == {2012: []}
    _settle(data, date(2012, 6, 1), date(2012, 1, 1))
    figures = _snapshot(CLOSED)
    # 2012 shows the evaluation's recorded value (no base), not one computed from the person settled since.
    assert _d11(figures)[2012] == (61.0, None) and _d11(figures)[CLOSED][1] == 10
    assert set(FrozenGoalYear.objects.values_list("year", flat=True)) == set(range(2012, CLOSED + 1))
