"""The monthly report on the seeded demo data, checked against a plain Python recount of the same rows."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from reporting.reports import goal_report, monthly_report
from reporting.reference import load_indicators
from demo.pipeline import seed_demo
from settlement.definitions import CHILD_AGE, more_than_months
from settlement.models import Composition, Household, Person

AS_OF = date(2026, 6, 30)


@pytest.mark.django_db
def test_monthly_report_matches_a_recount_of_demo_data():
    seed_demo(as_of=AS_OF, scale=0.15)
    load_indicators()  # the targets are data (reporting.reference)
    f = monthly_report(2026, 5)
    start, month_start, end = date(2026, 1, 1), date(2026, 5, 1), date(2026, 5, 31)

    persons = list(Person.objects.select_related("household"))
    settled = [p for p in persons if p.settled_on and start <= p.settled_on <= end]
    assert f["national"]["settled_ytd"] == len(settled)
    assert f["national"]["settled_month"] == sum(1 for p in settled if p.settled_on >= month_start)

    general = [p for p in settled if p.household.composition != Composition.UNACCOMPANIED_MINOR]
    # Within 6 calendar months of the permit (settlement.definitions).
    within = sum(1 for p in general if p.settled_on <= p.residence_permit_date + relativedelta(months=6))
    target = next(t for t in f["targets"] if t["key"] == "general_within_6m")
    assert target["base"] == len(general)
    assert target["actual"] == round(100 * within / len(general), 1)

    def waiting(p):
        h = p.household
        return (h.settlement_ready_on <= end and (p.settled_on is None or p.settled_on > end)
                and (h.exited_on is None or h.exited_on > end))

    def long(p):
        # Per person (settlement.definitions): more than 3 months for children (under 18 at the permit), else 6.
        child = p.birth_date + relativedelta(years=CHILD_AGE) > p.residence_permit_date
        return more_than_months(end, p.residence_permit_date, 3 if child else 6)

    still = [p for p in persons if waiting(p)]
    assert f["national"]["waiting"] == len(still)
    assert f["national"]["long_waiting"] == sum(1 for p in still if long(p))
    assert sum(r["settled_ytd"] for r in f["municipalities"]) == len(settled)
    assert sum(r["waiting"] for r in f["regions"]) == len(still)

    # Pinned figures of the deterministic demo (scale 0.15 up to 30 June 2026).
    assert (f["national"]["settled_month"], f["national"]["settled_ytd"], f["national"]["waiting"]) == (92, 441, 728)
    # Years after the evaluation repeat 2014's prognosis (demo/calibration.py): 9,000 + 600 + 1,200.
    assert f["national"]["need"] == round(9000 * 0.15) + round(600 * 0.15) + round(1200 * 0.15)


@pytest.mark.django_db
def test_goal_report_on_demo_data_has_every_year():
    seed_demo(as_of=AS_OF, scale=0.15)
    load_indicators()
    f = goal_report(2026)
    d11 = next(i for g in f["goals"] for i in g["indicators"] if i["code"] == "D1.1")
    # The evaluation's recorded 2012 and 2013, then the demo's own settlement years.
    assert [t["year"] for t in d11["trend"]] == [2012, 2013, 2024, 2025, 2026]
    assert all(0 <= t["value"] <= 100 for t in d11["trend"])
    assert Household.objects.filter(settled_on__year=2026).exists()
