"""What every settlement service shares: today's date, row locks and the household timeline.

Who may do what (role, region, municipality) is core.policy's: every service asks it in one statement.

Lock order, everywhere: the municipality row first, then the household row, then the proposal row. The
municipality row is the lock that serialises every capacity-changing transition, so two caseworkers (or
two municipality users) acting at once cannot overbook.
"""

from datetime import date

from django.utils import timezone

from core.audit import save_as as save
from core.models import Municipality
from core.roles import Actor

from ..models import Household, HouseholdEvent

__all__ = ["save", "today", "event", "lock_household", "lock_municipality"]


def today() -> date:
    return timezone.localdate()


def event(household, kind, actor: Actor | None, *, from_status="", municipality=None, note=""):
    """One step in the household's timeline (django-simple-history keeps the audit log beside it)."""
    HouseholdEvent.objects.create(
        household=household,
        kind=kind,
        at=timezone.now(),
        actor=actor.user if actor and actor.user and actor.user.is_authenticated else None,
        municipality=municipality,
        from_status=from_status,
        to_status=household.status,
        note=note,
    )


def lock_household(household_id) -> Household:
    return Household.objects.select_for_update().get(pk=household_id)


def lock_municipality(municipality_id) -> Municipality:
    return Municipality.objects.select_for_update().get(pk=municipality_id)
