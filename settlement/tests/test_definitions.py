"""The one definition of each concept (settlement.definitions): the month boundary, long-waiting per person,
settled, placement after an exit, used and remaining places, decisions as they stood."""

from datetime import date, timedelta

import pytest
import time_machine
from dateutil.relativedelta import relativedelta

from settlement import definitions as d
from settlement import selectors, services
from settlement.models import Household, MunicipalDecision, Person
from settlement.tests.factories import HouseholdFactory


def test_months_key_agrees_with_relativedelta_on_every_pair_of_dates():
    """The SQL-side key and the row-by-row rule (later > earlier + N calendar months) agree on every day of
    2023–2025 against every permit day, month ends and 29 February included."""
    start = date(2023, 1, 1)
    days = [start + timedelta(days=i) for i in range(0, 3 * 365 + 1)]
    for earlier in days[::3] + [date(2024, 2, 29), date(2024, 4, 30), date(2024, 8, 31), date(2024, 9, 30), date(2024, 11, 30)]:
        for later in (earlier + timedelta(days=k) for k in range(60, 420, 1)):
            for n in (3, 6, 12):
                assert d.more_than_months(later, earlier, n) == (later > earlier + relativedelta(months=n)), (earlier, later, n)


@pytest.mark.parametrize("permit,months,first_long", [
    (date(2024, 4, 30), 6, date(2024, 10, 31)),
    (date(2024, 9, 30), 3, date(2024, 12, 31)),
    (date(2024, 11, 30), 3, date(2025, 3, 1)),   # 30 November + 3 months is 28 February
    (date(2024, 2, 29), 6, date(2024, 8, 30)),
    (date(2024, 8, 31), 6, date(2025, 3, 1)),    # 31 August + 6 months is 28 February
    (date(2023, 8, 31), 6, date(2024, 3, 1)),    # 29 February 2024 is still within
])
def test_month_end_boundaries(permit, months, first_long):
    assert not d.more_than_months(first_long - timedelta(days=1), permit, months)
    assert d.more_than_months(first_long, permit, months)
    # The count query's bound agrees: the permit is long-waiting from first_long, not the day before.
    assert d.long_waiting_cutoff(first_long, months) >= permit > d.long_waiting_cutoff(first_long - timedelta(days=1), months)


@pytest.mark.parametrize("permit", [date(2024, 4, 30), date(2024, 9, 30), date(2024, 11, 30), date(2024, 2, 29)])
def test_count_query_and_row_rule_agree_at_month_ends(ref, permit):
    """Before: the count query compared with `end - N months` and missed a permit on 30 April at 31 October
    (December 2024: 330 shown, 334 true)."""
    h = HouseholdFactory(waiting_since=permit, reception_centre=ref["centre"])
    person = h.persons.get()
    for k in range(0, 400):
        on = permit + timedelta(days=k)
        counted = Person.objects.filter(d.long_waiting_person_q(on), pk=person.pk).exists()
        assert counted == person.is_long_waiting(on), on
    assert Person.objects.filter(d.long_waiting_person_q(date(2024, 10, 31))).count() == (permit <= date(2024, 4, 30))


def test_long_waiting_is_per_person_footnote_17(ref):
    """Footnote 17 (line 2592): 6 months for adults, 3 for children. Before, every member of a family with
    children had the 3-month limit."""
    permit = date(2025, 1, 10)
    family = HouseholdFactory(waiting_since=permit, reception_centre=ref["centre"], adults=2, children=1)
    on = date(2025, 5, 20)  # 4 months on: the child is long-waiting, the parents are not
    assert Person.objects.filter(d.long_waiting_person_q(on)).count() == 1
    assert [p.is_long_waiting(on) for p in family.persons.order_by("birth_date")] == [False, False, True]
    assert set(Household.objects.filter(selectors.long_waiting_q(on)).values_list("pk", flat=True)) == {family.pk}
    assert Person.objects.filter(d.long_waiting_person_q(date(2025, 7, 11))).count() == 3


def test_child_is_under_18_on_the_day_of_the_permit(ref):
    permit = date(2025, 3, 1)
    turned_18_that_day = HouseholdFactory(waiting_since=permit, reception_centre=ref["centre"],
                                          persons=[{"birth_date": date(2007, 3, 1)}]).persons.get()
    turns_18_next_day = HouseholdFactory(waiting_since=permit, reception_centre=ref["centre"],
                                         persons=[{"birth_date": date(2007, 3, 2)}]).persons.get()
    assert (turned_18_that_day.waiting_target_months, turns_18_next_day.waiting_target_months) == (6, 3)
    children = set(Person.objects.filter(d.child_at_permit_q()).values_list("pk", flat=True))
    assert children == {turns_18_next_day.pk}


def test_settled_member_counts_after_the_household_leaves_the_flow(ref, actors, decide, today):
    """A partly settled household that leaves the flow: its settled member stays settled, on the municipality's
    places of that year (before, the exit dropped it from the monthly report and from capacity)."""
    decide(ref["oslo"], places=10)
    h = HouseholdFactory(assigned=True, municipality=ref["oslo"], reception_centre=ref["centre"], adults=2,
                         assigned_on=today - timedelta(days=10))
    first = h.persons.first()
    services.register_settlement(actors["oslo"], h, dates={first.pk: today - timedelta(days=5)})
    assert selectors.capacity(ref["oslo"].pk, today.year).used == 2
    services.exit_household(actors["admin"], h, reason="left_country")
    settled = Person.objects.filter(d.settled_q(date(today.year, 1, 1), today))
    assert list(settled.values_list("pk", flat=True)) == [first.pk]
    placed = d.placement(settled).get()
    assert (placed.placed_municipality, placed.places_year) == (ref["oslo"].pk, today.year)
    cap = selectors.capacity(ref["oslo"].pk, today.year)
    assert (cap.settled, cap.assigned, cap.used) == (1, 0, 1)
    # As it stood the day before the exit: one settled, one assigned.
    assert d.used_places([ref["oslo"].pk], today.year, today - timedelta(days=1)) == {ref["oslo"].pk: {"settled": 1, "assigned": 1}}
    # The exit keeps the placement it clears, for the reports to read without the history.
    h.refresh_from_db()
    assert (h.municipality_id, h.settlement_year, h.assigned_on) == (None, None, None)
    assert (h.municipality_before_exit_id, h.settlement_year_before_exit, h.assigned_on_before_exit) == (
        ref["oslo"].pk, today.year, today - timedelta(days=10))


def test_placement_before_exit_only_on_a_household_that_left(ref):
    """The database refuses a placement before exit on a household still in the flow."""
    from django.db import IntegrityError, transaction

    h = HouseholdFactory(reception_centre=ref["centre"])
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.filter(pk=h.pk).update(municipality_before_exit=ref["oslo"])


def test_migration_backfills_the_placement_before_exit_from_the_history(ref, actors, today):
    """Households that left the flow before the columns existed get the placement of their last version before the
    exit, read from the history (what placement() computed until then)."""
    import importlib

    from django.apps import apps

    h = HouseholdFactory(assigned=True, municipality=ref["oslo"], reception_centre=ref["centre"],
                         assigned_on=today - timedelta(days=10))
    services.exit_household(actors["admin"], h, reason="left_country")
    never_placed = HouseholdFactory(reception_centre=ref["centre"])
    services.exit_household(actors["admin"], never_placed, reason="withdrawn")
    Household.objects.update(municipality_before_exit=None, settlement_year_before_exit=None, assigned_on_before_exit=None)
    migration = importlib.import_module("settlement.migrations.0010_household_placement_before_exit")
    migration.backfill_placement_before_exit(apps, None)
    placed = {x.pk: (x.municipality_before_exit_id, x.settlement_year_before_exit, x.assigned_on_before_exit)
              for x in Household.objects.all()}
    assert placed == {h.pk: (ref["oslo"].pk, h.settlement_year, today - timedelta(days=10)), never_placed.pk: (None, None, None)}


def test_places_are_counted_on_the_year_of_the_places(ref):
    """Persons settled in January on last year's places use last year's places (Karmøy: 104.8 % vs 90.3 %)."""
    HouseholdFactory(settled=True, settled_on=date(2025, 1, 10), municipality=ref["oslo"], settlement_year=2024,
                     waiting_since=date(2024, 9, 1), reception_centre=ref["centre"], adults=3)
    HouseholdFactory(settled=True, settled_on=date(2025, 2, 10), municipality=ref["oslo"], settlement_year=2025,
                     waiting_since=date(2024, 12, 1), reception_centre=ref["centre"], adults=2)
    assert d.used_places([ref["oslo"].pk], 2025, date(2025, 12, 31)) == {ref["oslo"].pk: {"settled": 2, "assigned": 0}}
    assert d.used_places([ref["oslo"].pk], 2024, date(2025, 12, 31)) == {ref["oslo"].pk: {"settled": 3, "assigned": 0}}


def test_one_remaining_figure(ref, today):
    """Ledig is decided minus proposed, accepted, assigned and settled, wherever it is shown (the capacity page,
    the matching page and the list builder showed 12, 8 and 8 for Sarpsborg)."""
    MunicipalDecision.objects.create(municipality=ref["oslo"], year=today.year, places=20, decided_on=today)
    for state, n in (("proposed", 2), ("accepted", 2), ("assigned", 1), ("settled", 3)):
        HouseholdFactory(municipality=ref["oslo"], reception_centre=ref["centre"], adults=n, **{state: True})
    cap = selectors.capacity(ref["oslo"].pk, today.year)
    assert (cap.remaining, cap.available_to_propose, cap.available_to_accept, cap.used) == (12, 12, 14, 4)


@time_machine.travel(date(2025, 6, 15), tick=False)
def test_decisions_as_they_stood(ref):
    """A decision changed later does not change a past month's places (the decision's history)."""
    services.record_decision(_oslo(ref), municipality=ref["oslo"], year=2025, places=10, decided_on=date(2025, 6, 1))
    assert d.decisions_at(2025, date(2025, 6, 30)) == {ref["oslo"].pk: (10, 0)}
    with time_machine.travel(date(2025, 8, 1), tick=False):
        services.record_decision(_oslo(ref), municipality=ref["oslo"], year=2025, places=30, unaccompanied_minors=0,
                                 decided_on=date(2025, 8, 1))
    assert d.decisions_at(2025, date(2025, 6, 30)) == {ref["oslo"].pk: (10, 0)}
    assert d.decisions_at(2025, date(2025, 8, 31)) == {ref["oslo"].pk: (30, 0)}
    assert d.decisions_at(2025, date(2025, 5, 31)) == {}


def _oslo(ref):
    from core.models import Role
    from core.roles import Actor

    return Actor(user=None, role=Role.MUNICIPALITY, municipality_id=ref["oslo"].pk, can_write=True)
