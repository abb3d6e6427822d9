"""Guards that `make mutation` found no test for (issue 9): each test fails when its guard is deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from grants import services
from grants.models import ClaimStatus, GrantClaim, PaymentBatch
from grants.workflows import CLAIM


def test_a_permissioned_transition_refuses_no_actor_with_role_not_allowed():
    # grants/workflows.py Workflow.check_role: `if actor is None` (a system job may only take permission-less steps).
    with pytest.raises(PermissionDenied) as refused:
        CLAIM.check("approve", GrantClaim(status=ClaimStatus.CALCULATED), None)
    assert refused.value.code == "role_not_allowed"
    assert CLAIM.check("recalculate", GrantClaim(status=ClaimStatus.CALCULATED), None) == ClaimStatus.CALCULATED


@pytest.mark.parametrize("name", ["cw_ost", "oslo", "ministry"])
def test_who_may_pay_is_checked_before_whether_there_is_anything_to_pay(actors, name):
    # grants/services.py create_payment_batch: CLAIM.check_role("pay", actor) first, so an outsider learns nothing
    # about the quarter (not "nothing_to_pay").
    with pytest.raises(PermissionDenied) as refused:
        services.create_payment_batch(actors[name], year=2025, quarter=2)
    assert refused.value.code == "role_not_allowed"
    with pytest.raises(ValidationError) as empty:
        services.create_payment_batch(actors["admin"], year=2025, quarter=2)
    assert empty.value.code == "nothing_to_pay"
    assert not PaymentBatch.objects.exists()
