"""The settlement workflow tables take "who may" from core.policy: every transition names a known permission (issue 9)."""

from core import policy
from settlement.workflows import HOUSEHOLD, PROPOSAL


def test_every_transition_names_a_permission_of_the_policy():
    for workflow in (HOUSEHOLD, PROPOSAL,):
        for name, t in workflow.transitions.items():
            assert t.permission is None or t.permission in policy.PERMISSIONS, (workflow.name, name)
