"""Test data for the settlement pipeline: the one household factory, its persons, and person rows for the services.

`HouseholdFactory` writes rows directly (no service rules), in any state through its traits:
`HouseholdFactory(proposed=True, municipality=oslo)`. Members come from `persons`, a list of per-person
overrides for `PersonFactory` (default: `adults` adults and `children` children). Pass `registered_by=user`
to credit the rows to a user in the audit history and start the timeline, as registration does.
"""

import itertools
from datetime import date, timedelta

import factory
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from factory.django import DjangoModelFactory

from core.models import Region
from settlement.models import (
    Category,
    Composition,
    DistributionList,
    EventKind,
    ExitReason,
    Household,
    HouseholdEvent,
    HouseholdStatus,
    Person,
    Proposal,
    ProposalStatus,
    SettlementInterview,
)
from settlement.services import MINORS_REGION_CODE, composition_for, waiting_target_months

_duf = itertools.count(1)


def next_duf(year=2026) -> str:
    return f"{year}{next(_duf):08d}"


def person(birth_date: date, permit: date, sex="M", first="Test", last="Person", nationality="ERI") -> dict:
    """One person as `services.register_household` takes it."""
    return {"duf_number": next_duf(), "first_name": first, "last_name": last, "birth_date": birth_date, "sex": sex,
            "nationality": nationality, "residence_permit_date": permit}


ADULT_BIRTH_DATE = date(1990, 1, 1)


def _today():
    return timezone.localdate()


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    household = None  # always given by HouseholdFactory
    duf_number = factory.LazyFunction(next_duf)
    first_name = "Test"
    last_name = "Person"
    birth_date = ADULT_BIRTH_DATE
    sex = "M"
    nationality = "ERI"
    is_head = False
    residence_permit_date = factory.LazyAttribute(lambda o: o.household.waiting_since)
    settled_on = factory.LazyAttribute(lambda o: o.household.settled_on)


def _default_persons(o):
    child_born = o.waiting_since - relativedelta(years=5)
    return [{}] * o.adults + [{"birth_date": child_born}] * o.children


def _composition(o):
    births = [p.get("birth_date", ADULT_BIRTH_DATE) for p in o.persons]
    return composition_for(o.category, births, o.settlement_ready_on)


def _region(o):
    if o.composition == Composition.UNACCOMPANIED_MINOR:
        return Region.objects.get(code=MINORS_REGION_CODE)
    if o.reception_centre is not None:
        return o.reception_centre.municipality.region
    return Region.objects.order_by("pk").first()


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    class Params:
        adults = 1
        children = 0
        in_flow = factory.Trait(settlement_year=factory.LazyFunction(lambda: _today().year))
        proposed = factory.Trait(status=HouseholdStatus.PROPOSED, in_flow=True)
        accepted = factory.Trait(status=HouseholdStatus.ACCEPTED, in_flow=True)
        assigned = factory.Trait(status=HouseholdStatus.ASSIGNED, in_flow=True, assigned_on=factory.LazyFunction(_today))
        settled = factory.Trait(
            status=HouseholdStatus.SETTLED, in_flow=True, settled_on=factory.LazyFunction(_today),
            assigned_on=factory.SelfAttribute("settled_on"),
        )
        exited = factory.Trait(
            status=HouseholdStatus.EXITED, exit_reason=ExitReason.WITHDRAWN, exited_on=factory.LazyFunction(_today),
        )

    status = HouseholdStatus.READY
    category = Category.RECEPTION_CENTRE
    reception_centre = None
    waiting_since = factory.LazyFunction(lambda: _today() - timedelta(days=100))
    settlement_ready_on = factory.SelfAttribute("waiting_since")
    persons = factory.LazyAttribute(_default_persons)
    size = factory.LazyAttribute(lambda o: len(o.persons))
    composition = factory.LazyAttribute(_composition)
    waiting_target_months = factory.LazyAttribute(lambda o: waiting_target_months(o.composition))
    region = factory.LazyAttribute(_region)
    registered_by = None
    # A household at a reception centre comes with the centre's settlement interview for every member, so it can be
    # proposed (services.interviews.require_interview); interviewed=False leaves it out.
    interviewed = True

    @classmethod
    def _build(cls, model_class, *args, persons, registered_by=None, interviewed=True, **kwargs):
        return model_class(*args, **kwargs)  # unsaved, without members

    @classmethod
    def _create(cls, model_class, *args, persons, registered_by=None, interviewed=True, **kwargs):
        household = model_class(*args, **kwargs)
        if registered_by is not None:
            household._history_user = registered_by
        household.save()
        for i, overrides in enumerate(persons):
            member = PersonFactory.build(household=household, is_head=i == 0, **overrides)
            if registered_by is not None:
                member._history_user = registered_by
            member.save()
            if interviewed and household.reception_centre_id is not None:
                SettlementInterview.objects.create(
                    person=member, reception_centre_id=household.reception_centre_id, interviewer="Mottaksansatt",
                    held_on=max(member.residence_permit_date, household.settlement_ready_on), completeness=0)
        if registered_by is not None:
            HouseholdEvent.objects.create(household=household, kind=EventKind.CREATED, at=timezone.now(),
                                          actor=registered_by, to_status=HouseholdStatus.READY)
        if household.status in (HouseholdStatus.PROPOSED, HouseholdStatus.ACCEPTED):
            # A household is proposed or accepted through a live proposal on a distribution list.
            ProposalFactory(household=household, status=ProposalStatus.PENDING if household.status == HouseholdStatus.PROPOSED
                            else ProposalStatus.ACCEPTED)
        return household


class DistributionListFactory(DjangoModelFactory):
    class Meta:
        model = DistributionList

    municipality = None  # always given
    region = factory.LazyAttribute(lambda o: o.municipality.region)
    year = factory.LazyFunction(lambda: _today().year)
    reply_deadline = factory.LazyFunction(lambda: _today() + timedelta(days=14))


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = Proposal

    household = None  # always given
    municipality = factory.SelfAttribute("household.municipality")
    distribution_list = factory.SubFactory(
        DistributionListFactory, municipality=factory.SelfAttribute("..municipality"),
        year=factory.SelfAttribute("..household.settlement_year"),
    )
    persons = factory.SelfAttribute("household.size")
    status = ProposalStatus.PENDING
