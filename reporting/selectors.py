"""Reads for reporting: the latest finished snapshot of a kind, and a snapshot's figures as a viewer may see them."""

from core.disclosure import sees_small_counts, suppress_small_counts

from .models import ReportSnapshot, SnapshotStatus


def latest_done(kind: str, year: int | None = None, month: int | None = None) -> ReportSnapshot | None:
    """The newest finished snapshot of a kind (latest period, then highest version), optionally for a year or month."""
    qs = ReportSnapshot.objects.filter(kind=kind, status=SnapshotStatus.DONE)
    if year:
        qs = qs.filter(year=year)
    if month:
        qs = qs.filter(month=month)
    return qs.order_by("-year", "-month", "-version").first()


def figures_for(actor, snapshot: ReportSnapshot | None) -> dict | None:
    """The snapshot's figures as this user may see them: small counts suppressed for all but IMDi."""
    if snapshot is None or snapshot.figures is None:
        return None
    return snapshot.figures if sees_small_counts(actor) else suppress_small_counts(snapshot.figures)
