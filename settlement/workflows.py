"""The settlement pipeline's two state machines, declared once.

Each workflow is a table: action -> the states it may start from, the state it leads to, and the core.policy
permission that says who may take it. Services ask it before every state change (`require`) and the policy
with the same permission names; pages ask it which actions to offer (`available_actions`), so the two can
never disagree.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError

from core import policy
from core.errors import field_error
from core.roles import Actor

from .models import ACTIVE_STATUSES, HouseholdStatus, ProposalStatus

INVALID_TRANSITION = "invalid_transition"


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]
    target: str
    permission: str  # core.policy's name for who may take it
    # The Norwegian refusal; {obj} is the object, {status} its status label ({status_lower} in lower case).
    refused: str


class Workflow:
    def __init__(self, name: str, transitions: dict[str, Transition]):
        self.name = name
        self.transitions = transitions

    def allows(self, action: str, status: str) -> bool:
        return status in self.transitions[action].sources

    def require(self, action: str, obj, *, field: str | None = None) -> str:
        """The state `action` leads `obj` to; a ValidationError (invalid_transition) if its state refuses it."""
        transition = self.transitions[action]
        if obj.status not in transition.sources:
            raise self.refusal(action, obj, field=field)
        return transition.target

    def refusal(self, action: str, obj, *, field: str | None = None) -> ValidationError:
        label = obj.get_status_display()
        message = self.transitions[action].refused.format(obj=obj, status=label, status_lower=label.lower())
        if field:
            return field_error(field, message, INVALID_TRANSITION)
        return ValidationError(message, code=INVALID_TRANSITION)

    def available(self, status: str, actor: Actor) -> list[str]:
        return [name for name, t in self.transitions.items()
                if status in t.sources and policy.may_write(actor, t.permission)]


ANSWER = "settlement.answer_proposal"  # accept or decline, by the municipality's writers
H = HouseholdStatus

HOUSEHOLD = Workflow("household", {
    "propose": Transition((H.READY,), H.PROPOSED, "settlement.propose", "{obj} er ikke bosettingsklar (status: {status})."),
    "accept": Transition((H.PROPOSED,), H.ACCEPTED, ANSWER, "Husstanden er ikke foreslått for kommunen (status: {status})."),
    "decline": Transition((H.PROPOSED,), H.READY, ANSWER, "Husstanden er ikke foreslått for kommunen (status: {status})."),
    "withdraw": Transition((H.PROPOSED, H.ACCEPTED), H.READY, "settlement.withdraw",
                           "Bare forslag som venter på svar eller er akseptert kan trekkes."),
    "assign": Transition((H.ACCEPTED,), H.ASSIGNED, "settlement.assign",
                         "Bare husstander som kommunen har akseptert kan søkes ut (status: {status})."),
    # Family reunification: a ready household joining a settled reference person is assigned straight to that
    # person's municipality, without a distribution list (lines 916, 2726-2729; services.reunification).
    "reunify": Transition((H.READY,), H.ASSIGNED, "settlement.reunify",
                          "Bare bosettingsklare husstander kan søkes ut direkte (status: {status})."),
    # Settled when the last member has a settlement date; until then the household stays assigned.
    "settle": Transition((H.ASSIGNED,), H.SETTLED, "settlement.register_settlement",
                         "Bosetting kan bare registreres for husstander som er søkt ut (status: {status})."),
    "exit": Transition(tuple(ACTIVE_STATUSES), H.EXITED, "settlement.exit", "Husstanden er allerede {status_lower}."),
})

P = ProposalStatus

PROPOSAL = Workflow("proposal", {
    "accept": Transition((P.PENDING,), P.ACCEPTED, ANSWER, "Forslaget er allerede {status_lower}."),
    "decline": Transition((P.PENDING,), P.DECLINED, ANSWER, "Forslaget er allerede {status_lower}."),
    "withdraw": Transition((P.PENDING, P.ACCEPTED), P.WITHDRAWN, "settlement.withdraw",
                           "Bare forslag som venter på svar eller er akseptert kan trekkes."),
})


def available_actions(household, actor: Actor) -> list[str]:
    """The household actions the page offers this actor, in the table's order."""
    return HOUSEHOLD.available(household.status, actor)
