"""Template filters for the household page: a minor's age group and the households reunified with this one."""

from django import template

from ..definitions import AGE_GROUPS, age_group
from ..models import ACTIVE_STATUSES, Household

register = template.Library()


@register.filter
def age_group_label(person) -> str:
    """The age group on the residence permit day (settlement.definitions.age_group), "Voksen" for an adult."""
    return AGE_GROUPS.get(age_group(person.birth_date, person.residence_permit_date), "Voksen")


@register.filter
def reunified_for(household, actor):
    """Households linked to a member of this one as their reference person, as far as the actor may see them."""
    return list(Household.objects.visible_to(actor).filter(reference_person__household=household).order_by("pk"))


@register.filter
def in_flow(household) -> bool:
    return household.status in ACTIVE_STATUSES
