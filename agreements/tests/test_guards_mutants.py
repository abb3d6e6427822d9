"""Guards that `make mutation` found no test for (issue 9): each test fails when its guard is deleted."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements import services
from agreements.models import AgreementTemplate, AgreementType, AnnualStatusReport, TemplateActionItem


def _code(exc_type, fn, *args, **kwargs):
    with pytest.raises(exc_type) as refused:
        fn(*args, **kwargs)
    e = refused.value
    return {c for errors in e.error_dict.values() for c in (x.code for x in errors)} if hasattr(e, "error_dict") else {e.code}


@pytest.mark.parametrize("name, code", [("bergen", "not_party"), ("oslo_read", "read_only"), ("cw_vest", "other_region"),
                                        ("ministry", "role_not_allowed")])
def test_only_the_owner_office_or_a_party_municipalitys_writer_reports_on_an_agreement(agreement, actors, name, code):
    # agreements/services.py submit_annual_report: _check_party_or_owner, and in it _check_owner for IMDi's roles.
    assert _code(PermissionDenied, services.submit_annual_report, actors[name], agreement, year=2024, summary="x") == {code}
    assert not AnnualStatusReport.objects.exists()


def test_a_template_action_item_longer_than_its_column_is_a_field_error(ref, actors):
    # agreements/services.py add_template_item: bounds.check_lengths (PostgreSQL would refuse it with a 500).
    template = services.create_template(actors["admin"], name="KINN", agreement_type=AgreementType.KINN, region=None,
                                         purpose="Bosetting")
    limit = TemplateActionItem._meta.get_field("title").max_length
    assert _code(ValidationError, services.add_template_item, actors["admin"], template, year=1, title="x" * (limit + 1),
                 owner="IMDi", due_month=3) == {"too_long"}
    assert not TemplateActionItem.objects.exists() and AgreementTemplate.objects.count() == 1
