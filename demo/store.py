"""Writing the demo's planned households in bulk, and removing all demo data."""

from datetime import date, datetime, time

from django.db import transaction
from django.utils import timezone

from settlement.models import (
    DistributionList, Household, HouseholdEvent, MunicipalDecision, NationalNeed, Person, Proposal, RequestedPlaces,
    SettlementRequest,
)


def aware(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def save_plans(plans: list) -> None:
    households = [p.household for p in plans]
    Household.objects.bulk_create(households, batch_size=2000)
    Person.objects.bulk_create([Person(household=p.household, **data) for p in plans for data in p.persons], batch_size=5000)
    # One distribution list per municipality and week in which households were proposed to it.
    lists = {}
    for plan in plans:
        for municipality, on, deadline, *_ in plan.proposals:
            key = (municipality.pk, on.isocalendar()[:2])
            if key not in lists:
                year = plan.household.settlement_year or on.year
                lists[key] = DistributionList(municipality=municipality, region=plan.household.region, year=year,
                                              reply_deadline=deadline)
                lists[key]._created = aware(on, 8)
    DistributionList.objects.bulk_create(list(lists.values()), batch_size=2000)
    # auto_now_add ignores values given at creation: set the historical send dates afterwards.
    for dl in lists.values():
        dl.created_at = dl._created
    DistributionList.objects.bulk_update(list(lists.values()), ["created_at"], batch_size=2000)
    proposals, events = [], []
    for plan in plans:
        h = plan.household
        for municipality, on, deadline, status, reason, responded in plan.proposals:
            proposals.append(Proposal(
                distribution_list=lists[(municipality.pk, on.isocalendar()[:2])], household=h, municipality=municipality,
                persons=h.size, status=status, decline_reason=reason, responded_at=aware(responded, 14) if responded else None,
            ))
        for kind, at, municipality, from_status, to_status, note in plan.events:
            events.append(HouseholdEvent(household=h, kind=kind, at=at, municipality=municipality,
                                         from_status=from_status, to_status=to_status, note=note))
    Proposal.objects.bulk_create(proposals, batch_size=5000)
    HouseholdEvent.objects.bulk_create(events, batch_size=5000)


def demo_data_exists() -> bool:
    return Household.objects.exists()


def demo_models() -> list:
    """The demo's cases and everything that refers to them (found from the foreign keys, so that a new model that
    points at a household or a claim is cleared too), with their history tables. Reference data stays."""
    from agreements.models import PartnershipAgreement, ReminderLog
    from grants.models import GrantApplication, GrantClaim, PaymentBatch
    from reporting.models import ReportSnapshot
    from settlement.models import MatchingRun

    roots = [ReportSnapshot, GrantApplication, GrantClaim, PaymentBatch, PartnershipAgreement, ReminderLog, HouseholdEvent,
             Proposal, DistributionList, Person, Household, MunicipalDecision, RequestedPlaces, SettlementRequest,
             NationalNeed, MatchingRun]
    found, queue = [], list(roots)
    while queue:
        model = queue.pop(0)
        if model in found or model._meta.proxy or not model._meta.managed:
            continue
        found.append(model)
        # Every model with a foreign key to this one, the hidden ones too (many-to-many tables, history).
        queue += [f.related_model for f in model._meta.get_fields(include_hidden=True) if f.auto_created and not f.concrete]
        history = getattr(model._meta, "simple_history_manager_attribute", None)
        if history:
            queue.append(getattr(model, history).model)
    return found


@transaction.atomic
def clear_demo():
    """Remove every demo case at once: a TRUNCATE on PostgreSQL, plain DELETEs on SQLite. Not QuerySet.delete(), which
    loads each row and writes a history row per deleted row, one at a time (29.9 s of `seed_demo --reset`, issue 14)."""
    from django.db import connection

    models = demo_models()
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
        with connection.cursor() as cursor:
            # Inside a transaction (a test, a seed run in one atomic block) deferred foreign-key checks may be
            # pending on these tables, and PostgreSQL refuses to TRUNCATE them: run the checks now.
            if connection.in_atomic_block:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"TRUNCATE {tables} CASCADE")
            if connection.in_atomic_block:
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # as Django declares them, for the seed's writes
        return
    for model in models:  # foreign keys are checked at commit: the order does not matter
        model._base_manager.all()._raw_delete(connection.alias)
