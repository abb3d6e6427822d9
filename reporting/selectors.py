"""Reads for reporting: finished snapshots, the ministry dashboard's choice of period, and a snapshot's figures as a
viewer may see them (the exact figures for IMDi, the published ones stored at finish for everyone else)."""

from core.disclosure import sees_small_counts

from .models import ReportKind, ReportSnapshot, SnapshotStatus
from .publication import publish

# The JSON columns: a list of snapshots never loads them.
HEAVY = ("figures", "public_figures", "hidden_cells")


def latest_done(kind: str, year: int | None = None, month: int | None = None, complete: bool = False) -> ReportSnapshot | None:
    """The newest finished snapshot of a kind (latest period, then highest version), optionally for a year or month,
    or only of a complete period with figures."""
    qs = ReportSnapshot.objects.filter(kind=kind, status=SnapshotStatus.DONE)
    if year:
        qs = qs.filter(year=year)
    if month:
        qs = qs.filter(month=month)
    if complete:
        qs = qs.filter(complete=True, has_data=True)
    return qs.order_by("-year", "-month", "-version").first()


def for_viewer(actor, qs):
    """Load only the figures this viewer reads (the exact or the published JSON)."""
    return qs.defer("hidden_cells", "public_figures" if sees_small_counts(actor) else "figures")


def offered_monthly():
    """Monthly snapshots the dashboard offers: finished and with figures (an empty period is not offered)."""
    return ReportSnapshot.objects.filter(kind=ReportKind.MONTHLY, status=SnapshotStatus.DONE, has_data=True).defer(*HEAVY)


def dashboard_snapshots(actor, snapshot_id: int | None):
    """The monthly snapshot the dashboard shows (the one asked for, else the latest complete month with figures, else
    the latest with figures) and the goal snapshot of its year."""
    monthly_qs = for_viewer(actor, ReportSnapshot.objects.filter(kind=ReportKind.MONTHLY, status=SnapshotStatus.DONE))
    if snapshot_id is not None:
        monthly = monthly_qs.filter(pk=snapshot_id).first()
    else:
        ordered = monthly_qs.filter(has_data=True).order_by("-year", "-month", "-version")
        monthly = ordered.filter(complete=True).first() or ordered.first()
    goals_qs = for_viewer(actor, ReportSnapshot.objects.filter(kind=ReportKind.GOALS, status=SnapshotStatus.DONE)).order_by(
        "-year", "-version")
    goals = (monthly and goals_qs.filter(year=monthly.year).first()) or goals_qs.first()
    return monthly, goals


def figures_for(actor, snapshot: ReportSnapshot | None) -> dict | None:
    """The snapshot's figures as this user may see them: small counts suppressed for all but IMDi, read from the
    version stored when the snapshot finished (computed here only for a snapshot made before that was stored)."""
    if snapshot is None:
        return None
    if sees_small_counts(actor):
        return snapshot.figures
    if snapshot.public_figures is not None:
        return snapshot.public_figures
    return publish(snapshot.figures) if snapshot.figures is not None else None
