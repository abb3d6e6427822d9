"""Report jobs: the monthly run on the 1st orders last month's report once."""

from datetime import datetime
from zoneinfo import ZoneInfo

from reporting import tasks
from reporting.models import ReportSnapshot


def test_beat_job_orders_last_months_report_once(data, time_machine):
    time_machine.move_to(datetime(2025, 7, 1, 6, tzinfo=ZoneInfo("Europe/Oslo")), tick=False)
    first = tasks.monthly_settlement_report()
    assert tasks.monthly_settlement_report() is None
    snapshot = ReportSnapshot.objects.get(pk=first)
    assert (snapshot.year, snapshot.month, snapshot.requested_by) == (2025, 6, None)


def test_beat_job_in_january_orders_last_december(data, time_machine):
    time_machine.move_to(datetime(2026, 1, 1, 6, tzinfo=ZoneInfo("Europe/Oslo")), tick=False)
    snapshot = ReportSnapshot.objects.get(pk=tasks.monthly_settlement_report())
    assert (snapshot.year, snapshot.month) == (2025, 12)
