"""Region scoping of agreements and the owner guard of the agreement services fail a test when deleted (issue 9)."""

from datetime import date

import pytest

from agreements import selectors, services
from agreements.models import AgreementType
from core.errors import error_codes
from core.models import Agency


def test_agreements_are_scoped_to_the_region_the_party_and_national_ones(agreement, actors):
    national = services.create_agreement(
        actors["admin"], title="Nasjonal avtale", agreement_type=AgreementType.PARTNERSHIP, region=None,
        start_date=date(2024, 1, 1), end_date=date(2026, 12, 31), purpose="x", municipalities=[], goals=[], commitments=[],
        agencies=list(Agency.objects.filter(code="nav")))
    seen = {name: set(selectors.agreements_for(actors[name])) for name in ("admin", "ministry", "cw_ost", "cw_vest", "oslo", "bergen")}
    assert seen == {"admin": {agreement, national}, "ministry": {agreement, national}, "cw_ost": {agreement, national},
                    "cw_vest": {national}, "oslo": {agreement}, "bergen": set()}


@pytest.mark.parametrize("who, code", [("cw_vest", "other_region"), ("oslo", "role_not_allowed")])
def test_only_imdi_of_the_region_records_a_meeting(agreement, actors, who, code):
    with pytest.raises(Exception) as exc:
        services.record_meeting(actors[who], agreement, held_on=date(2025, 6, 1), minutes="x")
    assert error_codes(exc.value) == {code}


@pytest.mark.parametrize("who, code", [("cw_vest", "other_region"), ("oslo", "role_not_allowed")])
def test_only_imdi_of_the_region_makes_an_agreement(ref, actors, who, code):
    with pytest.raises(Exception) as exc:
        services.create_agreement(actors[who], title="x", agreement_type=AgreementType.PARTNERSHIP, region=ref["ost"],
                                  start_date=date(2025, 1, 1), end_date=date(2026, 1, 1), purpose="x",
                                  municipalities=[ref["oslo"]], goals=[], commitments=[])
    assert error_codes(exc.value) == {code}
