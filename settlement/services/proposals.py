"""Distribution lists and proposals (fordelingsliste, forslag): IMDi proposes, the municipality answers."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from core import bounds, policy
from core.errors import field_error
from core.jobs import enqueue
from core.models import Municipality
from core.roles import Actor

from .. import selectors
from ..definitions import is_bufetat_minor
from ..models import Composition, DistributionList, EventKind, Household, Proposal
from ..tasks import notify_distribution_list
from ..workflows import HOUSEHOLD, PROPOSAL
from .common import event, lock_household, lock_municipality, save, today
from .interviews import require_interview


@transaction.atomic
def propose_households(
    actor: Actor,
    *,
    municipality: Municipality,
    household_ids: list[int],
    reply_deadline: date,
    year: int | None = None,
    note: str = "",
) -> DistributionList:
    """Send a distribution list (fordelingsliste): propose a block of households to one municipality.

    Bufetat proposes too, only unaccompanied minors under 15 (lines 3994-3999, 4210-4216; not_bufetat_minor)."""
    permission = "settlement.propose_minors" if actor.role == policy.AGENCY else "settlement.propose"
    policy.require(actor, permission)
    on = today()
    year = year or on.year
    if not household_ids:
        raise field_error("households", "Velg minst én husstand.", "no_households")
    if reply_deadline < on:
        raise field_error("reply_deadline", "Svarfristen kan ikke være tilbake i tid.", "deadline_in_past")
    errors = {}
    bounds.check_date(errors, "reply_deadline", reply_deadline, earliest=on, latest=bounds.latest_deadline(on), label="Svarfristen")
    bounds.check_year(errors, "year", year, on)
    bounds.raise_if(errors)
    lock_municipality(municipality.pk)
    households = list(Household.objects.select_for_update().filter(pk__in=household_ids).order_by("pk"))
    if len(households) != len(set(household_ids)):
        raise field_error("households", "En eller flere husstander finnes ikke.", "household_not_found")
    targets = {}  # each household's next state, checked once here and used below
    for h in households:
        policy.require_region(actor, permission, h.region_id, message="Husstanden tilhører et annet regionkontor.")
        if actor.role == policy.AGENCY and not is_bufetat_minor(h):
            raise field_error("households", f"{h} er ikke en enslig mindreårig under 15 år: IMDi foreslår den.",
                              "not_bufetat_minor")
        targets[h.pk] = HOUSEHOLD.require("propose", h, field="households")
        # Not before the reception centre has registered the settlement interview, unless a caseworker waived it.
        require_interview(h, on)
    cap = selectors.capacity(municipality.pk, year)
    if not cap.has_decision:
        raise field_error("municipality", f"{municipality} har ikke vedtak om bosetting for {year}.", "no_decision")
    total = sum(h.size for h in households)
    if total > cap.available_to_propose:
        raise field_error(
            "households",
            f"Listen har {total} personer, men {municipality} har bare {max(cap.available_to_propose, 0)} ledige plasser i {year}.",
            "over_capacity",
        )
    minors = sum(h.size for h in households if h.composition == Composition.UNACCOMPANIED_MINOR)
    if minors and minors > cap.minors_remaining:
        raise field_error(
            "households",
            f"{municipality} har bare {max(cap.minors_remaining, 0)} ledige plasser for enslige mindreårige i {year}.",
            "no_minor_places",
        )
    region_id = actor.region_id or households[0].region_id
    dlist = DistributionList(
        municipality=municipality, region_id=region_id, year=year, reply_deadline=reply_deadline, note=note,
        created_by=actor.user,
    )
    save(dlist, actor)
    for h in households:
        proposal = Proposal(distribution_list=dlist, household=h, municipality=municipality, persons=h.size)
        save(proposal, actor)
        from_status = h.status
        h.status, h.municipality, h.settlement_year = targets[h.pk], municipality, year
        save(h, actor)
        event(h, EventKind.PROPOSED, actor, from_status=from_status, municipality=municipality,
              note=f"Fordelingsliste {dlist.pk}, svarfrist {reply_deadline:%d.%m.%Y}")
    transaction.on_commit(lambda: enqueue(notify_distribution_list, dlist.pk))
    return dlist


def _locked_live_proposal(proposal_id) -> tuple[Proposal, Household]:
    # The household before the proposal (see .common for the lock order).
    household_id = Proposal.objects.values_list("household_id", flat=True).get(pk=proposal_id)
    household = lock_household(household_id)
    proposal = Proposal.objects.select_for_update().get(pk=proposal_id)
    return proposal, household


@transaction.atomic
def accept_proposal(actor: Actor, proposal: Proposal, *, comment: str = "") -> Proposal:
    """The municipality accepts a proposed household, within its remaining capacity."""
    policy.require_municipality_writer(actor, "settlement.answer_proposal", proposal.municipality_id)
    lock_municipality(proposal.municipality_id)
    proposal, household = _locked_live_proposal(proposal.pk)
    proposal_target = PROPOSAL.require("accept", proposal)
    household_target = HOUSEHOLD.require("accept", household)
    cap = selectors.capacity(proposal.municipality_id, household.settlement_year)
    if household.size > cap.available_to_accept:
        raise ValidationError(
            f"Kommunen har bare {max(cap.available_to_accept, 0)} ledige plasser i {household.settlement_year}, "
            f"men husstanden har {household.size} personer. Øk vedtaket før dere aksepterer.",
            code="over_capacity",
        )
    if household.composition == Composition.UNACCOMPANIED_MINOR and cap.minors_in_flow > cap.decided_minors:
        raise ValidationError("Kommunen har ikke flere vedtatte plasser for enslige mindreårige.", code="no_minor_places")
    proposal.status, proposal.comment = proposal_target, comment
    proposal.responded_at, proposal.responded_by = timezone.now(), actor.user
    save(proposal, actor)
    from_status = household.status
    household.status = household_target
    save(household, actor)
    event(household, EventKind.ACCEPTED, actor, from_status=from_status, municipality=proposal.municipality, note=comment)
    return proposal


@transaction.atomic
def decline_proposal(actor: Actor, proposal: Proposal, *, reason: str, comment: str = "") -> Proposal:
    """The municipality declines; the household goes back to be proposed elsewhere."""
    policy.require_municipality_writer(actor, "settlement.answer_proposal", proposal.municipality_id)
    if not reason:
        raise field_error("reason", "Oppgi en grunn for avslaget.", "reason_required")
    proposal, household = _locked_live_proposal(proposal.pk)
    proposal.status = PROPOSAL.require("decline", proposal)
    household_target = HOUSEHOLD.require("decline", household)
    proposal.decline_reason, proposal.comment = reason, comment
    proposal.responded_at, proposal.responded_by = timezone.now(), actor.user
    save(proposal, actor)
    _back_to(household, household_target, actor, EventKind.DECLINED, proposal,
             note=f"{proposal.get_decline_reason_display()}. {comment}".strip())
    return proposal


@transaction.atomic
def withdraw_proposal(actor: Actor, proposal: Proposal, *, note: str = "") -> Proposal:
    """IMDi takes back a proposal that has not been assigned yet."""
    proposal, household = _locked_live_proposal(proposal.pk)
    policy.require_region(actor, "settlement.withdraw", household.region_id, message="Husstanden tilhører et annet regionkontor.")
    proposal.status, proposal.comment = PROPOSAL.require("withdraw", proposal), note
    household_target = HOUSEHOLD.require("withdraw", household)
    save(proposal, actor)
    _back_to(household, household_target, actor, EventKind.WITHDRAWN, proposal, note=note)
    return proposal


def _back_to(household: Household, status: str, actor: Actor, kind, proposal: Proposal, note: str):
    """Declined or withdrawn: the household is free to be proposed elsewhere."""
    from_status = household.status
    household.status, household.municipality, household.settlement_year = status, None, None
    save(household, actor)
    event(household, kind, actor, from_status=from_status, municipality=proposal.municipality, note=note)


@transaction.atomic
def mark_list_reminded(distribution_list_id: int) -> bool:
    """Record that the municipality was reminded about an overdue list (a system job: no acting user).

    Written with history like every other change; False when the list was already marked (never twice)."""
    dlist = DistributionList.objects.select_for_update().get(pk=distribution_list_id)
    if dlist.reminded_at is not None:
        return False
    dlist.reminded_at = timezone.now()
    save(dlist, None)
    return True
