"""Demo reports: the indicators, and snapshots for the last full months and the goal report, computed and published
(suppressed for the ministry), oldest first so each month is published after the one before it."""

from datetime import date

from django.db import transaction

from reporting.models import ReportKind, ReportSnapshot
from reporting.reference import load_indicators
from reporting.services import run_snapshot


@transaction.atomic  # one commit: a commit per service call costs seconds on SQLite
def seed_reports(as_of: date, months: int = 3) -> list[ReportSnapshot]:
    load_indicators()
    periods = []
    year, month = as_of.year, as_of.month
    for _ in range(months):
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        periods.append((year, month))
    snapshots = [ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=y, month=m) for y, m in reversed(periods)]
    for y in (as_of.year - 1, as_of.year):
        snapshots.append(ReportSnapshot.objects.create(kind=ReportKind.GOALS, year=y))
    return [run_snapshot(s.pk) for s in snapshots]
