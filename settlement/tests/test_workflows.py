"""The declared transition tables: what each state allows, to whom."""

import pytest
from django.core.exceptions import ValidationError

from core.errors import error_codes
from settlement import workflows
from settlement.models import Household, HouseholdStatus, ProposalStatus

H = HouseholdStatus


@pytest.mark.parametrize("status, imdi, municipality", [
    (H.READY, ["propose", "reunify", "exit"], []),  # proposing: the distribution list page; reunify: its own page
    (H.PROPOSED, ["withdraw", "exit"], ["accept", "decline"]),
    (H.ACCEPTED, ["withdraw", "assign", "exit"], []),
    (H.ASSIGNED, ["exit"], ["settle"]),
    (H.SETTLED, [], []),
    (H.EXITED, [], []),
])
def test_available_actions_per_state_and_actor(actors, status, imdi, municipality):
    household = Household(status=status)
    assert workflows.available_actions(household, actors["cw_ost"]) == imdi
    assert workflows.available_actions(household, actors["admin"]) == imdi
    assert workflows.available_actions(household, actors["oslo"]) == municipality
    for read_only in ("oslo_read", "ministry"):
        assert workflows.available_actions(household, actors[read_only]) == []


def test_require_returns_the_target_or_refuses_with_a_code():
    household = Household(status=H.ACCEPTED)
    assert workflows.HOUSEHOLD.require("assign", household) == H.ASSIGNED
    with pytest.raises(ValidationError) as exc:
        workflows.HOUSEHOLD.require("propose", household, field="households")
    assert error_codes(exc.value) == {"invalid_transition"} and list(exc.value.message_dict) == ["households"]


def test_every_target_and_source_is_a_known_status():
    for workflow, statuses in ((workflows.HOUSEHOLD, H.values), (workflows.PROPOSAL, ProposalStatus.values)):
        for transition in workflow.transitions.values():
            assert {transition.target, *transition.sources} <= set(statuses)
