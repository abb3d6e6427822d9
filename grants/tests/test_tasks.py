"""The quarterly job builds the claims of the quarter just ended."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from grants.models import GrantClaim
from grants.tasks import build_quarter_claims

from .factories import settle


def test_quarterly_job_without_arguments_builds_the_quarter_just_ended(schemes, ref, time_machine):
    settle(ref, date(2025, 12, 1))
    settle(ref, date(2026, 1, 5), municipality="bergen")
    time_machine.move_to(datetime(2026, 1, 1, 6, tzinfo=ZoneInfo("Europe/Oslo")))  # Celery beat, first day of a quarter
    assert build_quarter_claims() == {"created": 1, "updated": 0, "locked": 0, "disputed": 0,
                                     "total": "260000.00"}
    assert [(c.municipality.number, c.year, c.quarter) for c in GrantClaim.objects.all()] == [("0301", 2025, 4)]
