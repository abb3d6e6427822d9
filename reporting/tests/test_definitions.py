"""One definition per concept in the reports: the same figure from every report, a past month that recomputes to
the same figures, long-waiting at month ends, place use on the year's own places, the settled member of a
household that left the flow."""

from datetime import date, timedelta

import pytest
import time_machine
from django.urls import reverse

from core.models import Region, Role
from core.roles import Actor
from reporting.reports import goal_report, monthly_report
from reporting.reports.common import meets, settled_persons, target_group_q
from settlement import services
from settlement.definitions import long_waiting_persons
from settlement.models import Category, Composition, Household, MunicipalDecision, Person
from settlement.tests import report_data
from settlement.tests.factories import HouseholdFactory

SA, FWC = Composition.SINGLE_ADULT, Composition.FAMILY_WITH_CHILDREN


def _admin():
    return Actor(user=None, role=Role.NATIONAL_ADMIN, can_write=True)


def _muni(m):
    return Actor(user=None, role=Role.MUNICIPALITY, municipality_id=m.pk, can_write=True)


@pytest.mark.parametrize("permit,end,expected", [
    (date(2024, 4, 30), (2024, 10), 1),   # 30 April + 6 months = 30 October: long-waiting at 31 October
    (date(2024, 5, 1), (2024, 10), 0),
    (date(2024, 2, 29), (2024, 8), 1),    # 29 February + 6 months = 29 August
    (date(2024, 3, 31), (2024, 9), 0),    # 31 March + 6 months = 30 September: not past it on 30 September
])
def test_long_waiting_at_month_end_in_the_monthly_report(db, permit, end, expected):
    """Before, the count query missed a permit on 30 April at 31 October (December 2024: 330 shown, 334 true)."""
    report_data.build()
    ost = Region.objects.get(code="ost")
    before = monthly_report(*end)["national"]["long_waiting"]
    report_data.make_household(composition=SA, permit=permit, ready=permit, region=ost)
    assert monthly_report(*end)["national"]["long_waiting"] - before == expected


def test_long_waiting_per_person_in_the_monthly_report(data):
    """Footnote 17 (line 2592): a family four months after the permit has its children long-waiting, not the
    parents. Before, all four members counted (the household's 3-month target)."""
    vest = Region.objects.get(code="vest")
    before = monthly_report(2025, 6)["national"]["long_waiting"]
    report_data.make_household(composition=FWC, permit=date(2025, 2, 20), region=vest, adults=2, children=2)
    report = monthly_report(2025, 6)
    assert report["national"]["long_waiting"] - before == 2
    assert report["national"]["long_waiting"] == long_waiting_persons(date(2025, 6, 30)).count()


def test_place_use_counts_the_year_of_the_places(data):
    """Persons settled in January on last year's places use last year's places (Karmøy, December 2025: 104.8 %
    shown, 90.3 % by the year's places)."""
    oslo, ost = data["0301"], Region.objects.get(code="ost")
    report_data.make_household(composition=SA, permit=date(2024, 9, 1), settled=date(2025, 1, 10), municipality=oslo,
                               region=ost, adults=3, year=2024)
    row = next(m for m in monthly_report(2025, 6)["municipalities"] if m["number"] == "0301")
    # Settled in 2025: H1, H2, H7 and the three on 2024's places; on 2025's places: H1, H2, H7 and H10 assigned.
    assert (row["settled_ytd"], row["used"], row["decided"], row["place_use"]) == (6, 4, 10, 40.0)


def test_a_past_month_recomputes_to_the_same_figures(data):
    """March, then a decision changed and a household leaving the flow after March: March is unchanged. Before,
    the exit removed its assignment and its settled member from March, and the new decision changed Oslo's
    place use."""
    oslo, ost = data["0301"], Region.objects.get(code="ost")
    h = report_data.make_household(composition=SA, permit=date(2025, 1, 2), assigned=date(2025, 3, 10), municipality=oslo,
                                   region=ost, adults=2)
    Household.objects.filter(pk=h.pk).update(status="assigned", settled_on=None)
    first = h.persons.order_by("pk").first()
    Person.objects.filter(pk=first.pk).update(settled_on=date(2025, 3, 20))
    march = monthly_report(2025, 3)
    with time_machine.travel(date(2025, 4, 15), tick=False):
        services.record_decision(_muni(oslo), municipality=oslo, year=2025, places=40, decided_on=date(2025, 4, 10))
        services.exit_household(_admin(), Household.objects.get(pk=h.pk), reason="left_country", exited_on=date(2025, 4, 12))
    again = monthly_report(2025, 3)
    oslo_row = next(m for m in again["municipalities"] if m["number"] == "0301")
    assert (oslo_row["decided"], oslo_row["assigned"], oslo_row["settled_month"]) == (10, 1, 2)
    for key in ("national", "regions", "counties", "municipalities", "nationalities", "wait_times", "target_groups", "series"):
        assert again[key] == march[key], key
    # April, after the exit and the new decision: the settled member stays, the assignment is gone.
    april = next(m for m in monthly_report(2025, 4)["municipalities"] if m["number"] == "0301")
    assert (april["decided"], april["assigned"], april["settled_ytd"]) == (40, 0, 2)  # H1 and the settled member


def test_requested_places_are_read_as_they_stood_at_the_month_end(data):
    """A request adjusted in April leaves March's requested places as they were; a request sent in May is not
    in March at all (settlement.definitions.requested_at)."""
    from core.models import Municipality

    stavanger, fredrikstad = Municipality.objects.get(number="1103"), Municipality.objects.get(number="0106")
    with time_machine.travel(date(2025, 2, 3), tick=False):
        request = services.create_settlement_request(_admin(), municipality=stavanger, sent_on=date(2025, 2, 3),
                                                     reply_deadline=date(2025, 3, 3), years={2025: (20, 0)})
    with time_machine.travel(date(2025, 4, 8), tick=False):
        services.adjust_settlement_request(_admin(), request, years={2025: (30, 0)})
    with time_machine.travel(date(2025, 5, 5), tick=False):
        services.create_settlement_request(_admin(), municipality=fredrikstad, sent_on=date(2025, 5, 5),
                                           reply_deadline=date(2025, 6, 5), years={2025: (12, 0)})
    march = {m["number"]: m["requested"] for m in monthly_report(2025, 3)["municipalities"]}
    may = {m["number"]: m["requested"] for m in monthly_report(2025, 5)["municipalities"]}
    assert (march.get("1103"), march.get("0106", 0)) == (20, 0)
    assert (may["1103"], may["0106"]) == (30, 12)


def test_settled_is_one_definition_in_both_reports(data):
    """A partly settled household that leaves the flow: its settled member counts in the monthly report and in
    the goal report alike (before, the monthly report dropped it and the goal report kept it)."""
    oslo, ost = data["0301"], Region.objects.get(code="ost")
    h = report_data.make_household(composition=SA, permit=date(2025, 1, 2), assigned=date(2025, 3, 10), municipality=oslo,
                                   region=ost, adults=2)
    Person.objects.filter(pk=h.persons.order_by("pk").first().pk).update(settled_on=date(2025, 3, 20))
    with time_machine.travel(date(2025, 4, 15), tick=False):
        services.exit_household(_admin(), Household.objects.get(pk=h.pk), reason="left_country", exited_on=date(2025, 4, 12))
    monthly = monthly_report(2025, 12)
    # Ten by June, H10 in July and the member settled before the household left.
    assert monthly["national"]["settled_ytd"] == 12
    assert settled_persons(date(2025, 1, 1), date(2025, 12, 31)).count() == 12
    assert monthly["target_groups"]["general"]["base"] == 11  # all but H6, the unaccompanied minor


def test_families_target_group_includes_resettlement_families(data):
    """Appendix 2 (line 8276): families with children under 18, whatever their category. Before, the monthly
    report left resettlement families out and the goal report counted them (37.6 % vs 47.6 %)."""
    nord, tromso = Region.objects.get(code="nord"), data["1902"]
    report_data.make_household(composition=FWC, permit=date(2025, 3, 1), settled=date(2025, 4, 1), municipality=tromso,
                               region=nord, adults=1, children=1, category=Category.RESETTLEMENT)
    families = monthly_report(2025, 6)["target_groups"]["families"]
    # H4 (3 persons, 73 days), H5 (2, 166 days) and the resettlement family (2, 31 days): 5 of 7 within 3 months.
    assert (families["base"], families["within_3m"], families["share_within_3m"]) == (7, 5, 71.4)
    assert Person.objects.filter(target_group_q("families"), settled_on__isnull=False).count() == 7


def test_the_same_kpi_has_the_same_value_in_both_reports(data):
    """D1 shares from the monthly report for December and from the goal report for the year agree."""
    from reporting.reference import load_indicators

    load_indicators()
    december = monthly_report(2025, 12)
    by_key = {t["key"]: t for t in december["targets"]}
    goals = goal_report(2025)
    computed = {i["name"]: i for g in goals["goals"] for i in g["indicators"] if i["computed"]}
    for t in by_key.values():
        if t["label"] in computed:
            assert computed[t["label"]]["actual"] == t["actual"], t["key"]
    groups = december["target_groups"]
    assert by_key["families_within_3m"]["actual"] == groups["families"]["share_within_3m"]
    if "general_within_6m" in by_key:
        assert by_key["general_within_6m"]["actual"] == groups["general"]["share_within_6m"]


def test_long_waiting_agrees_on_the_overview_page_the_api_and_the_work_queue(ref, users, today, settings):
    """The overview page, the aggregates API and the work queue count long-waiting persons as the monthly report
    does: a family 130 days after the permit has one long-waiting child, not three long-waiting members."""
    from django.test import Client

    HouseholdFactory(waiting_since=today - timedelta(days=130), settlement_ready_on=today - timedelta(days=130),
                     reception_centre=ref["centre"], adults=2, children=1)
    assert long_waiting_persons(today).count() == 1
    client = Client()
    client.force_login(users["admin"])
    page = client.get(reverse("settlement:overview"))
    assert page.context["totals"]["long_waiting"] == 1
    assert page.context["totals"]["ready"] == 3
    api = client.get(reverse("api:aggregates")).json()
    assert sum(r["long_waiting"] for r in api["regions"]) == 1
    assert sum(r["ready"] for r in api["regions"]) == 3
    queue = client.get(reverse("settlement:work_queue"))
    assert queue.context["long_waiting"] == {"households": 1, "persons": 1}


def test_settled_this_year_on_the_overview_page_counts_persons_by_their_own_date(ref, users, today):
    """A member settled this year stays counted when the rest of the household leaves the flow (settled_q)."""
    from django.test import Client

    household = HouseholdFactory(reception_centre=ref["centre"], adults=2, children=0,
                                 settlement_ready_on=today - timedelta(days=60), waiting_since=today - timedelta(days=60))
    Person.objects.filter(pk=household.persons.order_by("pk").first().pk).update(settled_on=today)
    Household.objects.filter(pk=household.pk).update(status="exited", exited_on=today, exit_reason="left_country")
    client = Client()
    client.force_login(users["admin"])
    assert client.get(reverse("settlement:overview")).context["totals"]["settled_year"] == 1


def test_verdict_uses_exact_counts():
    assert meets(2157, 2158, 100) is False
    assert meets(2158, 2158, 100) is True
    assert meets(75, 100, 75) is True and meets(7499, 10000, 75) is False
    assert meets(1, 3, "33.3") is True and meets(1, 3, "33.34") is False


def test_decision_change_without_new_date_is_a_correction(data):
    oslo = data["0301"]
    d = MunicipalDecision.objects.get(municipality=oslo, year=2025)
    d.places = 12
    d.save()
    row = next(m for m in monthly_report(2025, 6)["municipalities"] if m["number"] == "0301")
    assert row["decided"] == 12
