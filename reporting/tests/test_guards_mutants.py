"""Guards that `make mutation` found no test for (issue 9): each case fails when its guard is deleted."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import error_codes
from reporting import services
from reporting.models import Indicator, IndicatorValue, Unit, Verdict
from reporting.reference import load_indicators


@pytest.fixture
def july_2025(time_machine):
    time_machine.move_to(datetime(2025, 7, 15, 12, tzinfo=ZoneInfo("Europe/Oslo")), tick=False)


def _codes(error, fn, **kwargs):
    with pytest.raises(error) as exc:
        fn(**kwargs)
    return error_codes(exc.value)


def test_indicator_values_refuse_a_qualitative_parameter_and_an_unknown_sex(data, actors, july_2025):
    load_indicators()
    manual = Indicator.objects.get(code="D3.2")
    qualitative = Indicator.objects.filter(unit=Unit.QUALITATIVE, computation="").first() or Indicator.objects.create(
        code="T9.9", goal=manual.goal, name="Kvalitativ", unit=Unit.QUALITATIVE)
    record = services.record_indicator_value
    assert _codes(ValidationError, record, actor=actors["admin"], indicator=qualitative, year=2024, value=Decimal("1")) == {
        "indicator_qualitative"}
    assert _codes(ValidationError, record, actor=actors["admin"], indicator=manual, year=2024, value=Decimal("50"),
                  sex="X") == {"unknown_sex"}
    assert not IndicatorValue.objects.filter(indicator__in=[manual, qualitative], year=2024).exists()


def test_verdicts_are_the_admins_with_a_known_assessment_the_goals_own_indicator_and_a_period(data, actors):
    load_indicators()
    indicator = Indicator.objects.get(code="D3.2")
    other_goal = Indicator.objects.exclude(goal=indicator.goal).first()
    verdict = services.record_verdict
    ok = {"goal": indicator.goal, "indicator": indicator, "period": "1. halvår 2024", "assessment": "met"}
    before = Verdict.objects.count()  # the evaluation's table 9.1 is loaded
    assert _codes(PermissionDenied, verdict, actor=actors["cw_ost"], **ok) == {"role_not_allowed"}
    assert _codes(ValidationError, verdict, actor=actors["admin"], **(ok | {"assessment": "great"})) == {"unknown_assessment"}
    assert _codes(ValidationError, verdict, actor=actors["admin"], **(ok | {"goal": other_goal.goal})) == {
        "indicator_goal_mismatch"}
    assert _codes(ValidationError, verdict, actor=actors["admin"], **(ok | {"period": " "})) == {"period_required"}
    assert Verdict.objects.count() == before
    verdict(actor=actors["admin"], **ok)
    assert Verdict.objects.get(indicator=indicator, period="1. halvår 2024").assessment == "met"
