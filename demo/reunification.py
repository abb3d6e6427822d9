"""Demo cases for issue 12 items 4, 5 and 9: families reunified with settled refugees (line 916: 1,749 granted in
2012), one of them assigned straight to the reference person's municipality, and a household transferred between
regional offices. Bufetat's web user is the demo's `bufetat-klient` (password demo): it sees the minors under 15.

Everything goes through the services, credited to the demo admin, so the timeline and the audit log show it."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.models import Region
from core.roles import actor_for
from settlement import services
from settlement.models import Category, Household, HouseholdStatus, Person

FAMILIES = 3  # linked families; the first two are assigned directly


def _duf(n: int) -> str:
    return f"88{n:010d}"


def seed_reunification(as_of) -> str:
    admin = actor_for(get_user_model().objects.get(username="admin"))
    today = timezone.localdate()
    references = list(Person.objects.filter(household__status=HouseholdStatus.SETTLED, is_head=True,
                                            settled_on__gte=today - timedelta(days=300))
                      .exclude(reunified_households__isnull=False).select_related("household")
                      .order_by("-settled_on", "pk")[:FAMILIES])
    linked = assigned = 0
    for i, reference in enumerate(references):
        permit = max(reference.settled_on, today - timedelta(days=20))
        members = [
            {"duf_number": _duf(2 * i + 1), "first_name": "Selam", "last_name": reference.last_name,
             "birth_date": reference.birth_date + timedelta(days=700), "sex": "F", "nationality": reference.nationality,
             "residence_permit_date": permit},
            {"duf_number": _duf(2 * i + 2), "first_name": "Yonas", "last_name": reference.last_name,
             "birth_date": permit - timedelta(days=365 * 6), "sex": "M", "nationality": reference.nationality,
             "residence_permit_date": permit},
        ]
        if Person.objects.filter(duf_number__in=[m["duf_number"] for m in members]).exists():
            continue
        try:
            family = services.register_household(admin, persons=members, category=Category.FAMILY_REUNIFICATION,
                                                 region=reference.household.region, settlement_ready_on=permit)
            services.link_reunification(admin, family, reference_duf=reference.duf_number,
                                        note="Familiegjenforening innvilget av UDI")
            linked += 1
            if i < 2:
                services.assign_reunified(admin, family, assigned_on=max(permit, reference.settled_on))
                assigned += 1
        except ValidationError:
            continue  # an as-of date too far back for today's bounds: leave the case out
    moved = 0
    household = (Household.objects.filter(status=HouseholdStatus.READY, region__code="ost")
                 .exclude(category=Category.UNACCOMPANIED_MINOR).order_by("pk").first())
    if household is not None:
        services.transfer_household(admin, household, region=Region.objects.get(code="vest"),
                                    note="Husstanden har flyttet til et mottak i vest")
        moved = 1
    return (f"Family reunification: {linked} families linked to a settled reference person, {assigned} assigned "
            f"directly; {moved} household transferred from IMDi Øst to IMDi Vest.")
