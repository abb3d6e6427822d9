"""Reads: long waiting, capacity and scope."""

from datetime import date, timedelta

import time_machine

from settlement import selectors
from settlement.models import Household
from settlement.tests.factories import HouseholdFactory


def test_long_waiting_uses_3_and_6_month_targets(ref, make_household, today):
    adult_5m = make_household(permit=today - timedelta(days=150))
    adult_7m = make_household(permit=today - timedelta(days=215))
    family_4m = make_household(size=3, children=1, permit=today - timedelta(days=125))
    assert not adult_5m.is_long_waiting(today)
    assert adult_7m.is_long_waiting(today)
    assert family_4m.is_long_waiting(today)
    ids = set(Household.objects.filter(selectors.long_waiting_q(today)).values_list("pk", flat=True))
    assert ids == {adult_7m.pk, family_4m.pk}


@time_machine.travel(date(2025, 8, 15), tick=False)
def test_long_waiting_counts_calendar_months_from_the_residence_permit(ref):
    """Six months after 15 February is 15 August: waiting since then is not yet past the target on 15 August,
    waiting since the day before is."""
    today = date(2025, 8, 15)
    on_target = HouseholdFactory(waiting_since=date(2025, 2, 15), reception_centre=ref["centre"])
    past = HouseholdFactory(waiting_since=date(2025, 2, 14), reception_centre=ref["centre"])
    settled = HouseholdFactory(waiting_since=date(2024, 1, 1), settled=True, municipality=ref["oslo"],
                               reception_centre=ref["centre"])
    assert on_target.waiting_target_months == 6
    ids = set(Household.objects.filter(selectors.long_waiting_q(today)).values_list("pk", flat=True))
    assert ids == {past.pk}
    assert [h.is_long_waiting(today) for h in (on_target, past, settled)] == [False, True, False]


def test_capacity_counts_persons_per_status(ref, today):
    def household(size, **state):
        return HouseholdFactory(adults=size, municipality=ref["oslo"], reception_centre=ref["centre"], **state)

    household(2, proposed=True)
    household(3, accepted=True)
    household(1, assigned=True)
    household(4, settled=True)
    HouseholdFactory(adults=5, exited=True, reception_centre=ref["centre"])  # out of the flow: counts nowhere
    cap = selectors.capacity(ref["oslo"].pk, today.year)
    assert (cap.proposed, cap.accepted, cap.assigned, cap.settled, cap.has_decision) == (2, 3, 1, 4, False)
    # One 'ledig' figure (issue 10): decided minus every person held (proposed, accepted, assigned, settled).
    assert (cap.remaining, cap.available_to_accept, cap.available_to_propose) == (-10, -8, -10)


def test_scope_per_role(ref, actors):
    in_oslo = HouseholdFactory(proposed=True, municipality=ref["oslo"], reception_centre=ref["centre"])  # region Øst
    ready = HouseholdFactory(reception_centre=ref["centre"])
    visible = {name: set(selectors.households_for(actors[name]).values_list("pk", flat=True))
               for name in ("admin", "cw_ost", "cw_vest", "oslo", "bergen", "ministry")}
    assert visible == {"admin": {in_oslo.pk, ready.pk}, "cw_ost": {in_oslo.pk, ready.pk}, "cw_vest": set(),
                       "oslo": {in_oslo.pk}, "bergen": set(), "ministry": set()}
