"""The same month last year is counted in the monthly report's first statement (issue 14), with this year's
persons: last year's persons count there and nowhere else."""

from datetime import date

from core.models import Municipality, Region
from reporting.reports import monthly_report
from reporting.reports.common import settled_persons
from settlement.models import Composition
from settlement.tests import report_data


def _settle(on: date, municipality, region, nationality="ERI", n=1):
    for _ in range(n):
        report_data.make_household(composition=Composition.SINGLE_ADULT, permit=date(on.year - 1, 11, 1), settled=on,
                                   municipality=municipality, region=region, nationality=nationality, year=on.year)


def test_last_years_month_is_counted_with_this_years_persons(data):
    ost = Region.objects.get(code="ost")
    halden = Municipality.objects.get(number="0101")  # in the 2014 structure the dataset loads; nothing else there
    _settle(date(2024, 6, 3), halden, ost, nationality="SOM", n=2)   # last year's month
    _settle(date(2024, 2, 10), halden, ost, nationality="SOM")       # last year, before the month
    _settle(date(2024, 7, 1), halden, ost, nationality="SOM")        # last year, after the month: not counted
    before = monthly_report(2025, 6)
    last = before["outlook"]["last_year"]
    expected_ytd = settled_persons(date(2024, 1, 1), date(2024, 6, 30)).count()
    expected_month = settled_persons(date(2024, 6, 1), date(2024, 6, 30)).count()
    assert (last["settled_ytd"], last["settled_month"]) == (expected_ytd, expected_month) == (3, 2)
    assert (last["year"], last["month"]) == (2024, 6)
    # Last year's persons are in no figure of this year: not the municipality, the nationality, the wait times.
    assert "0101" not in {r["number"] for r in before["municipalities"]}
    assert "SOM" not in {r["code"] for r in before["nationalities"]}
    assert before["national"]["settled_ytd"] == 10 and before["wait_times"]["ytd"]["base"] == 10
    assert sum(s["settled"] for s in before["series"] if s["settled"] is not None) == 10


def test_no_one_settled_last_year(data):
    last = monthly_report(2025, 6)["outlook"]["last_year"]
    assert (last["settled_ytd"], last["settled_month"]) == (0, 0)
