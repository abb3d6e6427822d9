"""core.policy's scope helpers that the services use: region, municipality writer, write access (issue 9)."""

import pytest

from core import policy
from core.errors import Forbidden, error_codes
from core.models import Role
from core.roles import Actor

CW_1 = Actor(user=None, role=Role.CASEWORKER, region_id=1)
ADMIN = Actor(user=None, role=Role.NATIONAL_ADMIN)
WRITER_7 = Actor(user=None, role=Role.MUNICIPALITY, municipality_id=7, can_write=True)
READER_7 = Actor(user=None, role=Role.MUNICIPALITY, municipality_id=7, can_write=False)
MINISTRY = Actor(user=None, role=Role.MINISTRY)


def _code(call):
    with pytest.raises(Forbidden) as exc:
        call()
    return error_codes(exc.value)


def test_require_region_checks_the_role_then_a_caseworkers_region():
    policy.require_region(CW_1, "settlement.exit", 1)
    policy.require_region(ADMIN, "settlement.exit", 2)
    assert _code(lambda: policy.require_region(CW_1, "settlement.exit", 2)) == {"other_region"}
    assert _code(lambda: policy.require_region(WRITER_7, "settlement.exit", 1)) == {"role_not_allowed"}
    assert _code(lambda: policy.require_region(CW_1, "agreements.manage", None)) == {"other_region"}
    policy.require_region(CW_1, "agreements.manage", None, national_open=True)  # a national agreement


def test_require_municipality_writer_checks_role_municipality_then_write_access():
    policy.require_municipality_writer(WRITER_7, "settlement.record_decision", 7)
    assert _code(lambda: policy.require_municipality_writer(WRITER_7, "settlement.record_decision", 8)) == {"other_municipality"}
    assert _code(lambda: policy.require_municipality_writer(READER_7, "settlement.record_decision", 8)) == {"other_municipality"}
    assert _code(lambda: policy.require_municipality_writer(READER_7, "settlement.record_decision", 7)) == {"read_only"}
    assert _code(lambda: policy.require_municipality_writer(CW_1, "grants.report_on_grant", None)) == {"other_municipality"}


def test_may_write_needs_write_access_for_a_municipality_user_only():
    assert policy.may_write(WRITER_7, "settlement.answer_proposal")
    assert not policy.may_write(READER_7, "settlement.answer_proposal")
    assert policy.can(READER_7, "settlement.answer_proposal")
    assert policy.may_write(CW_1, "settlement.propose") and not policy.may_write(MINISTRY, "settlement.propose")

