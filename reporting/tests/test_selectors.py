"""Reporting selectors: the latest finished snapshot, and figures as each viewer may see them."""

from reporting.models import ReportKind, ReportSnapshot, SnapshotStatus
from reporting.selectors import figures_for, latest_done


def _snapshot(year, month, version, status=SnapshotStatus.DONE):
    return ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=year, month=month, version=version, status=status,
                                         figures={} if status == SnapshotStatus.DONE else None)


def test_latest_done_takes_the_latest_period_then_the_highest_version(db):
    _snapshot(2025, 5, 1)
    _snapshot(2025, 6, 1)
    june_v2 = _snapshot(2025, 6, 2)
    _snapshot(2025, 6, 3, status=SnapshotStatus.RUNNING)
    assert latest_done(ReportKind.MONTHLY) == june_v2
    assert latest_done(ReportKind.MONTHLY, year=2025, month=5).month == 5
    assert latest_done(ReportKind.GOALS) is None


def test_figures_are_exact_for_imdi_and_suppressed_for_others(actors, snapshots):
    monthly, _ = snapshots
    assert figures_for(actors["cw_ost"], monthly)["national"]["settled_month"] == 4
    assert figures_for(actors["ministry"], monthly)["national"]["settled_month"] == "<5"
    assert figures_for(actors["ministry"], ReportSnapshot(kind=ReportKind.MONTHLY, year=2025, month=7)) is None
