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


def _refused(exc_type, call, *args, **kwargs) -> set[str]:
    from core.errors import error_codes

    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    return error_codes(info.value)


def test_a_rejected_dispute_is_not_resolved_afterwards(schemes, ref, actors):
    # grants/services.py resolve_dispute: DISPUTE.check("resolve", ...) refuses a closed dispute's state; without
    # it a rejected dispute would get a new claim version and turn "resolved".
    from datetime import date

    from grants.entitlements import INTEGRATION
    from grants.models import ClaimDispute, DisputeStatus

    from .factories import settle

    person = settle(ref, date(2025, 4, 2)).persons.get()
    services.build_claims(2025, 2)
    claim = GrantClaim.objects.get(municipality=ref["oslo"], year=2025, quarter=2)
    line = claim.lines.get(person=person, scheme__code=INTEGRATION)
    dispute = services.dispute_claim_line(actors["oslo"], line, reason="Feil dato.")
    services.reject_dispute(actors["cw_ost"], dispute, resolution="Datoen er riktig.")
    assert _refused(ValidationError, services.resolve_dispute, actors["cw_ost"], dispute,
                    resolution="Rettet likevel.") == {"invalid_transition"}
    assert ClaimDispute.objects.get(pk=dispute.pk).status == DisputeStatus.REJECTED
    assert list(GrantClaim.objects.filter(municipality=ref["oslo"]).values_list("version", flat=True)) == [1]


def test_training_hours_are_recorded_only_by_the_persons_municipality_writers_or_region(schemes, ref, actors):
    # grants/services.py record_training_hours: _require_person_writer (the same rule as record_participation).
    from datetime import date

    from grants.models import TrainingHours

    from .factories import settle

    person = settle(ref, date(2025, 4, 2), nir=False).persons.get()
    for who, code in (("bergen", "other_municipality"), ("oslo_read", "read_only"), ("cw_vest", "other_region"),
                      ("ministry", "role_not_allowed")):
        assert _refused(PermissionDenied, services.record_training_hours, actors[who], person, year=2025, quarter=3,
                        hours=100) == {code}, who
    assert not TrainingHours.objects.exists()


def test_training_hours_only_for_a_settled_person(schemes, ref, actors, make_household):
    # grants/services.py record_training_hours: `row is None` (no settlement date, no period to check against).
    from grants.models import TrainingHours

    waiting = make_household().persons.first()  # settlement-ready in Råde mottak, not settled
    assert _refused(ValidationError, services.record_training_hours, actors["admin"], waiting, year=2025, quarter=3,
                    hours=100) == {"person_not_settled"}
    assert not TrainingHours.objects.exists()
