"""The pipeline's rules, checked on the service layer and the database constraints behind it."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from settlement import selectors, services
from settlement.models import (
    Category,
    Composition,
    EventKind,
    Household,
    HouseholdStatus,
    MunicipalDecision,
    Person,
    Proposal,
    ProposalStatus,
)
from settlement.tests.factories import person


def _propose(actors, household, municipality, today, actor="cw_ost"):
    return services.propose_households(
        actors[actor], municipality=municipality, household_ids=[household.pk], reply_deadline=today + timedelta(days=14)
    )


def test_whole_flow_changes_status_capacity_timeline_and_audit(ref, actors, users, make_household, decide, today):
    decide(ref["oslo"], places=10)
    household = make_household(size=3, children=1)
    assert household.composition == Composition.FAMILY_WITH_CHILDREN
    assert household.waiting_target_months == 3
    assert household.region == ref["ost"]

    cap = selectors.capacity(ref["oslo"].pk, today.year)
    assert (cap.decided, cap.remaining, cap.available_to_propose) == (10, 10, 10)

    dlist = _propose(actors, household, ref["oslo"], today)
    household.refresh_from_db()
    assert household.status == HouseholdStatus.PROPOSED
    assert household.municipality == ref["oslo"]
    assert selectors.capacity(ref["oslo"].pk, today.year).available_to_propose == 7

    proposal = dlist.proposals.get()
    services.accept_proposal(actors["oslo"], proposal)
    household.refresh_from_db()
    assert household.status == HouseholdStatus.ACCEPTED
    cap = selectors.capacity(ref["oslo"].pk, today.year)
    assert (cap.accepted, cap.remaining, cap.available_to_accept) == (3, 10, 7)

    services.assign_household(actors["cw_ost"], household, assigned_on=today - timedelta(days=5))
    household.refresh_from_db()
    assert household.status == HouseholdStatus.ASSIGNED
    assert selectors.capacity(ref["oslo"].pk, today.year).remaining == 7

    persons = list(household.persons.all())
    services.register_settlement(actors["oslo"], household, dates={persons[0].pk: today - timedelta(days=2)})
    household.refresh_from_db()
    assert household.status == HouseholdStatus.ASSIGNED  # one of three settled: not yet the household
    services.register_settlement(actors["oslo"], household, dates={p.pk: today for p in persons[1:]})
    household.refresh_from_db()
    assert household.status == HouseholdStatus.SETTLED
    assert household.settled_on == today
    cap = selectors.capacity(ref["oslo"].pk, today.year)
    assert (cap.settled, cap.assigned, cap.remaining) == (3, 0, 7)

    kinds = list(household.events.values_list("kind", flat=True))
    assert kinds == [EventKind.CREATED, EventKind.PROPOSED, EventKind.ACCEPTED, EventKind.ASSIGNED,
                     EventKind.PERSON_SETTLED, EventKind.PERSON_SETTLED, EventKind.PERSON_SETTLED, EventKind.SETTLED]
    # Audit log: who changed the household, and when.
    history = household.history.order_by("history_date")
    assert [h.status for h in history] == ["ready", "proposed", "accepted", "assigned", "settled"]
    assert history.last().history_user == users["oslo"]
    assert history.filter(status="assigned").get().history_user == users["cw_ost"]


def test_decline_sends_household_back_to_be_proposed_elsewhere(ref, actors, make_household, decide, today):
    decide(ref["oslo"], places=5)
    decide(ref["baerum"], places=5)
    household = make_household()
    proposal = _propose(actors, household, ref["oslo"], today).proposals.get()

    with pytest.raises(ValidationError) as exc:
        services.decline_proposal(actors["oslo"], proposal, reason="")
    assert "reason" in exc.value.message_dict

    services.decline_proposal(actors["oslo"], proposal, reason="housing", comment="Ingen ledige boliger")
    household.refresh_from_db()
    proposal.refresh_from_db()
    assert (household.status, household.municipality_id) == (HouseholdStatus.READY, None)
    assert (proposal.status, proposal.decline_reason) == (ProposalStatus.DECLINED, "housing")
    assert selectors.capacity(ref["oslo"].pk, today.year).proposed == 0

    _propose(actors, household, ref["baerum"], today)
    household.refresh_from_db()
    assert household.municipality == ref["baerum"]
    assert household.proposals.count() == 2


def test_accepting_beyond_capacity_is_refused_and_changes_nothing(ref, actors, make_household, decide, today):
    decide(ref["oslo"], places=4)
    first, second = make_household(size=2), make_household(size=2)
    p1 = _propose(actors, first, ref["oslo"], today).proposals.get()
    p2 = _propose(actors, second, ref["oslo"], today).proposals.get()
    # The municipality lowers its decision after the proposals were sent.
    decide(ref["oslo"], places=3)
    services.accept_proposal(actors["oslo"], p1)
    with pytest.raises(ValidationError, match="bare 1 ledige plasser"):
        services.accept_proposal(actors["oslo"], p2)
    second.refresh_from_db()
    p2.refresh_from_db()
    assert (second.status, p2.status) == (HouseholdStatus.PROPOSED, ProposalStatus.PENDING)
    assert selectors.capacity(ref["oslo"].pk, today.year).accepted == 2


def test_proposing_beyond_capacity_or_without_decision_is_refused(ref, actors, make_household, decide, today):
    household = make_household(size=3)
    with pytest.raises(ValidationError, match="har ikke vedtak"):
        _propose(actors, household, ref["oslo"], today)
    decide(ref["oslo"], places=2)
    with pytest.raises(ValidationError, match="bare 2 ledige plasser"):
        _propose(actors, household, ref["oslo"], today)
    household.refresh_from_db()
    assert household.status == HouseholdStatus.READY
    assert not Proposal.objects.exists()


def test_unaccompanied_minors_need_minor_places(ref, actors, make_household, decide, today):
    minor = services.register_household(
        actors["admin"], category=Category.UNACCOMPANIED_MINOR, reception_centre=ref["minors_centre"],
        persons=[person(today - timedelta(days=16 * 365), today - timedelta(days=40))],
    )
    assert minor.region == ref["nord"]  # minors are settled from IMDi Nord
    assert minor.waiting_target_months == 3
    decide(ref["oslo"], places=10, minors=0)
    with pytest.raises(ValidationError, match="enslige mindreårige"):
        _propose(actors, minor, ref["oslo"], today, actor="cw_nord")
    decide(ref["oslo"], places=10, minors=1)
    _propose(actors, minor, ref["oslo"], today, actor="cw_nord")
    assert selectors.capacity(ref["oslo"].pk, today.year).minors_remaining == 0


def test_settlement_date_before_assignment_is_refused(ref, actors, make_household, decide, today):
    decide(ref["oslo"], places=5)
    household = make_household(size=2)
    proposal = _propose(actors, household, ref["oslo"], today).proposals.get()
    services.accept_proposal(actors["oslo"], proposal)
    services.assign_household(actors["cw_ost"], household, assigned_on=today - timedelta(days=3))
    persons = list(household.persons.all())
    with pytest.raises(ValidationError) as exc:
        services.register_settlement(actors["oslo"], household, dates={
            persons[0].pk: today, persons[1].pk: today - timedelta(days=10),
        })
    assert f"person_{persons[1].pk}" in exc.value.message_dict
    assert "før utsøkingsdatoen" in exc.value.message_dict[f"person_{persons[1].pk}"][0]
    # Nothing was written, not even the valid date.
    assert not Person.objects.filter(household=household, settled_on__isnull=False).exists()
    with pytest.raises(ValidationError, match="fram i tid"):
        services.register_settlement(actors["oslo"], household, dates={persons[0].pk: today + timedelta(days=1)})


def test_transitions_are_enforced_by_state(ref, actors, make_household, decide, today):
    decide(ref["oslo"], places=5)
    household = make_household()
    with pytest.raises(ValidationError, match="akseptert"):
        services.assign_household(actors["cw_ost"], household)
    with pytest.raises(PermissionDenied):  # not Oslo's household (yet)
        services.register_settlement(actors["oslo"], household, dates={1: today})
    proposal = _propose(actors, household, ref["oslo"], today).proposals.get()
    with pytest.raises(ValidationError, match="søkt ut"):
        services.register_settlement(actors["oslo"], household, dates={1: today})
    with pytest.raises(ValidationError, match="ikke bosettingsklar"):
        _propose(actors, household, ref["oslo"], today)
    services.accept_proposal(actors["oslo"], proposal)
    with pytest.raises(ValidationError, match="allerede akseptert"):
        services.accept_proposal(actors["oslo"], proposal)
    with pytest.raises(ValidationError, match="allerede akseptert"):
        services.decline_proposal(actors["oslo"], proposal, reason="housing")


def test_roles_and_scope_are_enforced(ref, actors, make_household, decide, today):
    decide(ref["oslo"], places=5)
    household = make_household()  # region Øst
    with pytest.raises(PermissionDenied):
        _propose(actors, household, ref["oslo"], today, actor="cw_vest")
    with pytest.raises(PermissionDenied):
        _propose(actors, household, ref["oslo"], today, actor="oslo")
    proposal = _propose(actors, household, ref["oslo"], today).proposals.get()
    for name in ("bergen", "oslo_read", "cw_ost", "ministry"):
        with pytest.raises(PermissionDenied):
            services.accept_proposal(actors[name], proposal)
    with pytest.raises(PermissionDenied):
        services.record_decision(actors["bergen"], municipality=ref["oslo"], year=today.year, places=1, decided_on=today)
    with pytest.raises(PermissionDenied):
        services.create_settlement_request(actors["cw_vest"], municipality=ref["oslo"], sent_on=today,
                                           reply_deadline=today, years={today.year + 1: (10, 0)})


def test_exit_withdraws_live_proposal(ref, actors, make_household, decide, today):
    decide(ref["oslo"], places=5)
    household = make_household()
    proposal = _propose(actors, household, ref["oslo"], today).proposals.get()
    services.exit_household(actors["cw_ost"], household, reason="settled_on_own")
    household.refresh_from_db()
    proposal.refresh_from_db()
    assert household.status == HouseholdStatus.EXITED
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert selectors.capacity(ref["oslo"].pk, today.year).proposed == 0
    with pytest.raises(ValidationError):
        services.exit_household(actors["cw_ost"], household, reason="withdrawn")


def test_decision_rules(ref, actors, make_household, decide, today):
    with pytest.raises(ValidationError) as exc:
        services.record_decision(actors["oslo"], municipality=ref["oslo"], year=today.year, places=-1, decided_on=today)
    assert "places" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.record_decision(actors["oslo"], municipality=ref["oslo"], year=today.year, places=3,
                                 unaccompanied_minors=4, decided_on=today)
    assert "unaccompanied_minors" in exc.value.message_dict
    assert not MunicipalDecision.objects.exists()

    first = decide(ref["oslo"], places=5)
    second = decide(ref["oslo"], places=8)
    assert first.pk == second.pk  # one current decision per municipality and year
    assert MunicipalDecision.objects.get().places == 8
    assert [h.places for h in second.history.order_by("history_date")] == [5, 8]

    household = make_household(size=4)
    proposal = _propose(actors, household, ref["oslo"], today).proposals.get()
    services.accept_proposal(actors["oslo"], proposal)
    with pytest.raises(ValidationError, match="kan ikke være lavere"):
        decide(ref["oslo"], places=3)
    assert MunicipalDecision.objects.get().places == 8


def test_database_constraints_back_the_rules(ref, actors, make_household, today):
    with pytest.raises(IntegrityError), transaction.atomic():
        MunicipalDecision.objects.create(municipality=ref["oslo"], year=2030, places=2, unaccompanied_minors=3, decided_on=today)
    household = make_household()
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.filter(pk=household.pk).update(status=HouseholdStatus.ASSIGNED)
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.filter(household=household).update(duf_number="12345")
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(distribution_list_id=None, household=household, municipality=ref["oslo"], persons=1,
                                status=ProposalStatus.DECLINED)


def test_register_household_validates_duf_and_duplicates(ref, actors, today):
    with pytest.raises(ValidationError, match="12 siffer"):
        services.register_household(actors["admin"], category=Category.RECEPTION_CENTRE, reception_centre=ref["centre"],
                                    persons=[{**person(date(1990, 1, 1), today), "duf_number": "2026123"}])
    p = person(date(1990, 1, 1), today)
    services.register_household(actors["admin"], category=Category.RECEPTION_CENTRE, reception_centre=ref["centre"], persons=[p])
    with pytest.raises(ValidationError, match="allerede registrert"):
        services.register_household(actors["admin"], category=Category.RECEPTION_CENTRE, reception_centre=ref["centre"],
                                    persons=[dict(p)])
    assert Household.objects.count() == 1


def test_long_waiting_uses_3_and_6_month_targets(ref, make_household, today):
    adult_5m = make_household(permit=today - timedelta(days=150))
    adult_7m = make_household(permit=today - timedelta(days=215))
    family_4m = make_household(size=3, children=1, permit=today - timedelta(days=125))
    assert not adult_5m.is_long_waiting(today)
    assert adult_7m.is_long_waiting(today)
    assert family_4m.is_long_waiting(today)
    ids = set(Household.objects.filter(selectors.long_waiting_q(today)).values_list("pk", flat=True))
    assert ids == {adult_7m.pk, family_4m.pk}


def test_requests_span_up_to_three_consecutive_years_and_can_be_adjusted(ref, actors, users, today):
    y = today.year + 1
    with pytest.raises(ValidationError, match="høyst 3 år"):
        services.create_settlement_request(actors["cw_ost"], municipality=ref["oslo"], sent_on=today, reply_deadline=today,
                                           years={y: (10, 1), y + 1: (10, 1), y + 2: (10, 1), y + 3: (10, 1)})
    with pytest.raises(ValidationError, match="henge sammen"):
        services.create_settlement_request(actors["cw_ost"], municipality=ref["oslo"], sent_on=today, reply_deadline=today,
                                           years={y: (10, 1), y + 2: (10, 1)})
    req = services.create_settlement_request(actors["cw_ost"], municipality=ref["oslo"], sent_on=today,
                                             reply_deadline=today + timedelta(days=30), years={y: (300, 20), y + 1: (320, 20)})
    with pytest.raises(ValidationError, match="allerede en anmodning"):
        services.create_settlement_request(actors["cw_ost"], municipality=ref["oslo"], sent_on=today, reply_deadline=today,
                                           years={y + 1: (10, 0)})
    services.adjust_settlement_request(actors["cw_ost"], req, years={y: (350, 25), y + 1: (320, 20)}, note="Økt behov")
    rp = req.years.get(year=y)
    assert (rp.persons, rp.unaccompanied_minors) == (350, 25)
    assert [h.persons for h in rp.history.order_by("history_date")] == [300, 350]
    assert rp.history.latest().history_user == users["cw_ost"]
