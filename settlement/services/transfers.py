"""Transfer of a household between IMDi's regional offices (issue 12, item 9).

The responsible office (Household.region) decides who sees and handles the case: a caseworker sees the
households of their own region (settlement.querysets). A transfer is made by a caseworker of the current
region or the national admin; afterwards the new region's caseworker has the case and the old one no longer
sees it. Every transfer is written to the timeline and the audit history.

Unaccompanied minors under 15 stay with the one office IMDi has centralised them to (lines 3996-3999: region
Vest until 1.9.2013, region Nord since; services.MINORS_REGION_CODE).
"""

from django.db import transaction

from core import policy
from core.errors import field_error
from core.models import Region
from core.roles import Actor

from ..definitions import is_bufetat_minor
from ..models import ACTIVE_STATUSES, EventKind, Household
from .common import event, lock_household, save
from .households import MINORS_REGION_CODE

MAX_NOTE = 500


@transaction.atomic
def transfer_household(actor: Actor, household: Household, *, region: Region | None, note: str = "") -> Household:
    """Move a household in the flow to another regional office."""
    policy.require_region(actor, "settlement.transfer", household.region_id,
                          message="Bare saksbehandlere i husstandens regionkontor kan overføre den.")
    if region is None:
        raise field_error("region", "Velg regionkontoret husstanden skal overføres til.", "region_required")
    if len(note) > MAX_NOTE:
        raise field_error("note", f"Merknaden kan ha høyst {MAX_NOTE} tegn.", "too_long")
    household = lock_household(household.pk)
    if household.status not in ACTIVE_STATUSES:
        raise field_error("region", f"Husstanden er {household.get_status_display().lower()} og kan ikke overføres.",
                          "not_in_flow")
    if region.pk == household.region_id:
        raise field_error("region", "Husstanden tilhører allerede dette regionkontoret.", "same_region")
    if is_bufetat_minor(household) and region.code != MINORS_REGION_CODE:
        raise field_error("region", "Enslige mindreårige under 15 år følges av ett regionkontor for hele landet.",
                          "minors_region")
    old = household.region
    household.region = region
    save(household, actor)
    event(household, EventKind.TRANSFERRED, actor, from_status=household.status,
          note=f"Fra {old} til {region}. {note}".strip())
    return household
