"""The grants workflow tables take "who may" from core.policy: every transition names a known permission (issue 9)."""

from core import policy
from grants.workflows import APPLICATION, CLAIM


def test_every_transition_names_a_permission_of_the_policy():
    for workflow in (APPLICATION, CLAIM,):
        for name, t in workflow.transitions.items():
            assert t.permission is None or t.permission in policy.PERMISSIONS, (workflow.name, name)
