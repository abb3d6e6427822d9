"""The household page's settlement interview section (bosettingssamtale), as far as the reader may see it."""

from django import template
from django.utils import timezone

from core import policy

from ..interview_models import InterviewWaiver, SettlementInterview
from ..services import interviews

register = template.Library()


@register.inclusion_tag("settlement/includes/household_interviews.html")
def household_interviews(household, actor):
    """Per person: the parts of the interview the actor may read (consent for a municipality; health details
    only with consent, services.interviews.interview_sections), and the interview state for IMDi."""
    if not policy.can(actor, "settlement.view_interviews"):
        return {"show": False}
    today = timezone.localdate()
    found = {i.person_id: i for i in SettlementInterview.objects.filter(person__household=household)
             .select_related("tied_municipality")}
    rows = []
    for person in household.persons.all():
        interview = found.get(person.pk)
        sections, withheld = interviews.interview_sections(actor, interview) if interview else ([], [])
        rows.append({"person": person, "interview": interview, "sections": sections, "withheld": withheld})
    waiver = InterviewWaiver.objects.filter(household=household).select_related("waived_by").first()
    missing = interviews.persons_without_interview(household, today)
    return {
        "show": True, "rows": rows, "household": household, "actor": actor, "waiver": waiver, "missing": missing,
        "can_waive": (policy.can(actor, "settlement.waive_interview") and household.status == "ready" and missing
                      and waiver is None),
        "is_imdi": actor.role in policy.IMDI,
    }
