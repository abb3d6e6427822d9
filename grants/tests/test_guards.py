"""Role guards of the grant services and the region scope of claims fail a test when deleted (issue 9)."""

from decimal import Decimal

import pytest

from core.errors import error_codes
from grants import selectors, services
from grants.models import ClaimStatus, GrantClaim


@pytest.mark.parametrize("who", ["cw_ost", "oslo", "ministry"])
def test_only_the_national_admin_makes_a_payment_file(ref, actors, who, today):
    GrantClaim.objects.create(municipality=ref["oslo"], year=today.year, quarter=1, total=Decimal("10"),
                              status=ClaimStatus.APPROVED)
    with pytest.raises(Exception) as exc:
        services.create_payment_batch(actors[who], year=today.year, quarter=1)
    assert error_codes(exc.value) == {"role_not_allowed"}
    assert services.create_payment_batch(actors["admin"], year=today.year, quarter=1).claims.count() == 1


@pytest.mark.parametrize("who", ["cw_ost", "oslo"])
def test_only_the_national_admin_approves_a_claim(ref, actors, who, today):
    claim = GrantClaim.objects.create(municipality=ref["oslo"], year=today.year, quarter=1, total=Decimal("0"))
    with pytest.raises(Exception) as exc:
        services.approve_claim(actors[who], claim)
    assert error_codes(exc.value) == {"role_not_allowed"}


def test_claims_are_scoped_to_the_caseworkers_region(ref, actors, today):
    oslo = GrantClaim.objects.create(municipality=ref["oslo"], year=today.year, quarter=1)
    bergen = GrantClaim.objects.create(municipality=ref["bergen"], year=today.year, quarter=1)
    seen = {name: set(selectors.claims_for(actors[name])) for name in ("admin", "cw_ost", "cw_vest", "oslo", "ministry")}
    assert seen == {"admin": {oslo, bergen}, "cw_ost": {oslo}, "cw_vest": {bergen}, "oslo": {oslo}, "ministry": set()}
