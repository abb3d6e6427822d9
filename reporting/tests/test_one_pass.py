"""The reports in one pass (issue 14): the SQL keys agree with the Python definitions on the month-end boundaries,
the monthly report's queue trend equals the definitions at each month end, used places equal `used_places`, the
grouped statements give the same rows on every backend, and the query counts stay constant as data grows."""

from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db.models import Count, F, Value

from core.models import County, Municipality, Region
from core.testing import count_queries
from reporting.reference import load_indicators
from reporting.reports import goal_report, monthly_report
from reporting.reports.common import DaysBetween, grouping_sets
from settlement.definitions import (
    DatePart, child_at_permit_q, is_child_at, long_waiting_persons, month_ends, months_key, months_key_expr, more_than_months,
    queue_at_month_ends, queue_keys, used_places, waiting_persons,
)
from settlement.models import Composition, Household, MunicipalDecision, Person
from settlement.tests import report_data

SA, FWC = Composition.SINGLE_ADULT, Composition.FAMILY_WITH_CHILDREN
# The month ends footnote 17's "more than N months" trips on (issue 10), and a day either side.
BOUNDARIES = [date(2024, 4, 30), date(2024, 9, 30), date(2024, 11, 30), date(2024, 2, 29), date(2024, 8, 31), date(2023, 8, 31)]
AROUND = sorted({d + timedelta(days=k) for d in BOUNDARIES for k in (-1, 0, 1)})


def _persons_on_boundaries(ost):
    """Single adults and families whose permits and births fall on the boundaries; some settled, some left."""
    households = []
    for i, permit in enumerate(AROUND):
        kind = FWC if i % 2 else SA
        ready = permit + timedelta(days=i % 3)
        settled = permit + relativedelta(months=3 + i % 5) if i % 4 == 0 else None
        h = report_data.make_household(composition=kind, permit=permit, ready=ready, region=ost, adults=1,
                                       children=1 if kind == FWC else 0, settled=settled,
                                       municipality=Municipality.objects.get(number="0301") if settled else None,
                                       year=settled.year if settled else 2025)
        child = h.persons.order_by("pk").last()
        if kind == FWC:  # a child who turns 18 on, a day before or a day after the permit (29 February births too)
            child.birth_date = date(permit.year - 18, permit.month, min(permit.day, 28)) + timedelta(days=(i % 3) - 1)
            child.save()
        if i % 7 == 3:
            Household.objects.filter(pk=h.pk).update(status="exited", exit_reason="withdrawn", exited_on=permit + relativedelta(months=5))
        households.append(h)
    return households


def test_months_key_and_child_in_sql_agree_with_python_on_month_ends(db):
    """months_key_expr (integer date parts) and child_at_permit_q against months_key and is_child_at."""
    report_data.build()
    _persons_on_boundaries(Region.objects.get(code="ost"))
    ends = [date(2024, 10, 31), date(2024, 8, 31), date(2024, 8, 29), date(2025, 2, 28), date(2024, 3, 31), date(2024, 12, 31)]
    rows = list(Person.objects.annotate(**{f"k{i}": months_key_expr(e, "residence_permit_date") for i, e in enumerate(ends)},
                                        kb=months_key_expr("birth_date", "residence_permit_date"),
                                        days=DaysBetween(Value(date(2026, 1, 1)), "residence_permit_date"),
                                        day=DatePart("residence_permit_date", "day"))
                .values("id", "birth_date", "residence_permit_date", "days", "day", "kb", *(f"k{i}" for i in range(len(ends)))))
    assert {r["residence_permit_date"] for r in rows} >= set(BOUNDARIES)
    children = set(Person.objects.filter(child_at_permit_q()).values_list("id", flat=True))
    for r in rows:
        permit = r["residence_permit_date"]
        for i, e in enumerate(ends):
            assert r[f"k{i}"] == months_key(e, permit), (e, permit)
        assert (r["days"], r["day"]) == ((date(2026, 1, 1) - permit).days, permit.day)
        assert r["kb"] == months_key(r["birth_date"], permit)
        assert (r["id"] in children) == is_child_at(r["birth_date"], permit), r
    # 30 April + 6 months = 30 October: long-waiting from 31 October, not on 30 October.
    assert more_than_months(date(2024, 10, 31), date(2024, 4, 30), 6) and not more_than_months(date(2024, 10, 30), date(2024, 4, 30), 6)


@pytest.mark.parametrize("first_end", [date(2024, 2, 29), date(2024, 4, 30), date(2024, 9, 30)])
def test_queue_keys_give_the_definitions_at_every_month_end(db, first_end):
    """One grouped scan (queue_keys) equals waiting_q and long_waiting_person_q at each of 13 month ends."""
    report_data.build()
    _persons_on_boundaries(Region.objects.get(code="ost"))
    rows = (Person.objects.annotate(**queue_keys(first_end, 13)).values("q_ready", "q_left", "q_long", "q_day")
            .annotate(n=Count("id")).values_list("q_ready", "q_left", "q_long", "q_day", "n").order_by())
    counts = queue_at_month_ends(list(rows), first_end, 13)
    expected = [(waiting_persons(e).count(), long_waiting_persons(e).count()) for e in month_ends(first_end, 13)]
    assert counts == expected
    assert any(long for _, long in expected) and any(w > long for w, long in expected)


def test_monthly_queue_trend_and_used_places_follow_the_definitions(data):
    """The trend's every point is the definitions' count at that month end; place use is `used_places`."""
    _persons_on_boundaries(Region.objects.get(code="ost"))
    report = monthly_report(2025, 3)
    for point in report["outlook"]["queue"]:
        end = month_ends(date(point["year"], point["month"], 1), 1)[0]
        assert (point["waiting"], point["long_waiting"]) == (waiting_persons(end).count(), long_waiting_persons(end).count())
    assert report["outlook"]["queue"][-1]["waiting"] == report["national"]["waiting"] > 0
    ids = dict(Municipality.objects.values_list("number", "id"))
    used = used_places(ids.values(), 2025, date(2025, 3, 31))
    for row in report["municipalities"]:
        u = used.get(ids[row["number"]], {"settled": 0, "assigned": 0})
        assert (row["used"], row["assigned"]) == (u["settled"] + u["assigned"], u["assigned"]), row["number"]


def test_grouping_sets_give_each_set_its_rows(data):
    """The same rows from GROUP BY GROUPING SETS (PostgreSQL) and from the UNION ALL (elsewhere)."""
    rows = Person.objects.annotate(nat=F("nationality"), m=F("household__municipality_id")).values("nat", "m")
    by_nat, by_m, both = grouping_sets(rows, [("nat",), ("m",), ("nat", "m")], {"n": "COUNT(*)"})
    assert {r["nat"]: r["n"] for r in by_nat} == dict(Person.objects.values_list("nationality").annotate(Count("id")))
    assert {r["m"]: r["n"] for r in by_m} == dict(Person.objects.values_list("household__municipality_id").annotate(Count("id")))
    assert sum(r["n"] for r in both) == Person.objects.count()


def _grow(n: int):
    """n more municipalities, each with a decision, settled and waiting households, in a new county."""
    region = Region.objects.get(code="midt")
    county = County.objects.get(number="16")
    for i in range(n):
        muni = Municipality.objects.create(number=f"9{200 + i}", name=f"Vekstkommune {i}", county=county, region=region)
        MunicipalDecision.objects.create(municipality=muni, year=2025, places=5, decided_on=date(2024, 10, 1))
        for month in (2, 5, 6):
            report_data.make_household(composition=FWC, permit=date(2024, 11, 30), settled=date(2025, month, 3), adults=2,
                                       children=2, municipality=muni, region=region)
        report_data.make_household(composition=SA, permit=date(2024, 4, 30), region=region)


def test_report_queries_are_few_and_constant_as_data_grows(data):
    """Monthly: the two statements over the persons (the first with last year's month), and the frame (municipalities, regions,
    need, decisions and requests as they stood, indicators, process events), with the transaction; before, 34
    queries, thirteen of them for the queue's trend. Goal report: one summarising statement and the frame."""
    load_indicators()
    with count_queries() as monthly_small:
        monthly_report(2025, 6)
    with count_queries() as goals_small:
        goal_report(2025)
    _grow(25)
    with count_queries() as monthly_large:
        large = monthly_report(2025, 6)
    with count_queries() as goals_large:
        goal_report(2025)
    assert large["national"]["settled_ytd"] == 10 + 25 * 12
    person_scans = [q for q in monthly_large.captured_queries if "settlement_person" in q["sql"]]
    assert len(person_scans) == 2  # this year's settled with last year's month, the queue and places
    assert len(monthly_large.captured_queries) == len(monthly_small.captured_queries) <= 16
    assert len(goals_large.captured_queries) == len(goals_small.captured_queries) <= 12


def test_goal_report_summary_matches_person_by_person(data):
    """The summarising GROUP BY gives the same values as counting the persons one by one in Python."""
    load_indicators()
    _grow(3)
    report = goal_report(2025)
    general = next(i for g in report["goals"] for i in g["indicators"] if i["code"] == "D1.1")
    persons = [p for p in Person.objects.filter(settled_on__year=2025).select_related("household")
               if p.household.composition != Composition.UNACCOMPANIED_MINOR]
    within = sum(1 for p in persons if not more_than_months(p.settled_on, p.residence_permit_date, 6))
    assert general["base"] == len(persons)
    assert general["actual"] == round(100.0 * within / len(persons), 1)
    assert next(t for t in general["trend"] if t["year"] == 2025)["value"] == general["actual"]
