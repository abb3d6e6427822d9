"""The grant workflows as declared transition tables: for each action, the states it may start from,
the state it leads to and the core.policy permission that says who may take it.

Services check every transition here (`check`), and pages ask which actions an actor has (`available`),
so the rules live in one place. A guard adds a rule that depends on the object (who the grantee is,
the four-eyes rule) and raises Forbidden with its own code.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError

from core import policy
from core.errors import Forbidden
from core.roles import Actor

from .models import ApplicationStatus as A
from .models import ClaimStatus as C
from .models import DisputeStatus as D


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    permission: str | None  # core.policy's name; None: a system job with no acting user (no role check)
    guard: Callable[[Actor, object], None] | None = None


class Workflow:
    def __init__(self, name: str, transitions: dict[str, Transition]):
        self.name = name
        self.transitions = transitions

    def check(self, action: str, obj, actor: Actor | None = None) -> str:
        """Raise unless `actor` may take `action` on `obj` now; return the state it leads to.

        Who may act is checked before the state, so an outsider learns nothing about the object."""
        t = self.transitions[action]
        self.check_role(action, actor)
        if t.permission and t.guard is not None:
            t.guard(actor, obj)
        if obj.status not in t.sources:
            raise ValidationError(f"Handlingen er ikke mulig når status er «{obj.get_status_display().lower()}».",
                                  code="invalid_transition")
        return t.target

    def check_role(self, action: str, actor: Actor | None) -> None:
        permission = self.transitions[action].permission
        if permission is None:
            return
        if actor is None:
            raise Forbidden("Du har ikke tilgang til denne handlingen.", code="role_not_allowed")
        policy.require(actor, permission)

    def may(self, action: str, actor: Actor) -> bool:
        """Whether the actor's role may take the action at all (to show a button that works on a list)."""
        permission = self.transitions[action].permission
        return permission is not None and policy.can(actor, permission)

    def allows(self, action: str, state: str) -> bool:
        return state in self.transitions[action].sources

    def available(self, obj, actor: Actor) -> set[str]:
        """The actions `actor` may take on `obj` in its present state (a system job's are never offered)."""
        result = set()
        for action, t in self.transitions.items():
            if not t.permission:
                continue
            try:
                self.check(action, obj, actor)
            except (PermissionDenied, ValidationError):
                continue
            result.add(action)
        return result


def _grantee(actor: Actor, app) -> None:
    """The grantee reports: the municipality's writers for a municipality's application, IMDi for an
    organisation's (registered by IMDi)."""
    if app.municipality_id:
        policy.require_municipality_writer(actor, "grants.report_on_grant", app.municipality_id)
    elif not actor.is_imdi:
        raise Forbidden("Bare IMDi kan rapportere for organisasjoner.", code="role_not_allowed")


def _not_the_assessor(actor: Actor, app) -> None:
    """Two people: the one who assessed the application does not decide it."""
    if app.assessed_by_id is not None and actor.user is not None and app.assessed_by_id == actor.user.pk:
        raise Forbidden("Den som vurderte søknaden kan ikke også fatte vedtaket.", code="assessor_cannot_decide")


def _in_region(actor: Actor, app) -> None:
    """A caseworker assesses applications from municipalities in their own region."""
    if app.municipality_id:
        policy.require_region(actor, "grants.assess_application", app.municipality.region_id,
                              message="Søknaden gjelder en kommune i en annen region.")


# Søknad: mottatt -> vurdert -> innvilget/avslått -> utbetalt -> rapportert. Discretionary grants that IMDi
# "reelt vurderer" (evaluation, lines 2970-2976): an assessment before the decision.
APPLICATION = Workflow("application", {
    "assess": Transition(frozenset({A.SUBMITTED}), A.ASSESSED, "grants.assess_application", _in_region),
    "grant": Transition(frozenset({A.ASSESSED}), A.GRANTED, "grants.decide_application", _not_the_assessor),
    "reject": Transition(frozenset({A.ASSESSED}), A.REJECTED, "grants.decide_application", _not_the_assessor),
    "pay": Transition(frozenset({A.GRANTED}), A.PAID, "grants.pay_application"),
    "report": Transition(frozenset({A.PAID}), A.REPORTED, "grants.report_on_grant", _grantee),
})

# Krav: beregnet -> godkjent -> utbetalt: claim, letter to the municipality, payment file to DFØ (evaluation,
# lines 2945-2954), with the claim computed instead of scanned. Only a calculated claim is rebuilt by the quarterly job;
# an approved or paid one is never touched again.
CLAIM = Workflow("claim", {
    "recalculate": Transition(frozenset({C.CALCULATED}), C.CALCULATED, None),
    "approve": Transition(frozenset({C.CALCULATED}), C.APPROVED, "grants.approve_claim"),
    "pay": Transition(frozenset({C.APPROVED}), C.PAID, "grants.pay_claims"),
    # A dispute resolved: the claim is recomputed as a new version and this one kept, read-only. A paid claim too:
    # its new version pays the difference (services.recompute_claim).
    "supersede": Transition(frozenset({C.CALCULATED, C.APPROVED, C.PAID}), C.SUPERSEDED, "grants.resolve_dispute"),
})


def _dispute_in_region(actor: Actor, dispute) -> None:
    """A caseworker handles disputes from the region's municipalities."""
    policy.require_region(actor, "grants.resolve_dispute", dispute.claim.municipality.region_id,
                          message="Kravet gjelder en kommune i en annen region.")


# Innsigelse: åpen -> rettet (nytt krav beregnet) / avvist (linjen er riktig), by IMDi in the municipality's region.
DISPUTE = Workflow("dispute", {
    "resolve": Transition(frozenset({D.OPEN}), D.RESOLVED, "grants.resolve_dispute", _dispute_in_region),
    "reject": Transition(frozenset({D.OPEN}), D.REJECTED, "grants.resolve_dispute", _dispute_in_region),
})
