"""The demo's family reunification cases and transfer (demo.reunification), made through the services."""

from datetime import timedelta

from demo.reunification import seed_reunification
from settlement.models import EventKind, Household, HouseholdStatus
from settlement.tests.factories import HouseholdFactory


def test_demo_links_assigns_and_transfers_through_the_services(ref, users, make_household, today):
    reference = HouseholdFactory(settled=True, municipality=ref["oslo"], settled_on=today - timedelta(days=10),
                                 waiting_since=today - timedelta(days=120)).persons.get()
    waiting = make_household(last="Venter")
    message = seed_reunification(today)
    family = Household.objects.get(reference_person=reference)
    assert (family.status, family.municipality) == (HouseholdStatus.ASSIGNED, ref["oslo"])
    assert family.history.first().history_user == users["admin"]
    assert Household.objects.get(pk=waiting.pk).region == ref["vest"]
    assert Household.objects.get(pk=waiting.pk).events.filter(kind=EventKind.TRANSFERRED).exists()
    assert "1 families linked" in message and "1 assigned directly" in message and "1 household transferred" in message
    seed_reunification(today)  # again: the reference already has its family, nothing more is linked
    assert Household.objects.filter(reference_person=reference).count() == 1
