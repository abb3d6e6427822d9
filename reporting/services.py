"""Writes for reporting: ordering snapshots, computing them, and entering indicator values."""

import logging
import traceback

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from core import policy
from core.audit import delete_as, save_as
from core.errors import Forbidden, field_error
from core.roles import Actor

from . import reports
from .publication import hidden_cells, publish
from .models import (
    Assessment, FrozenGoalYear, Indicator, IndicatorValue, ReportKind, ReportSnapshot, SnapshotStatus, Unit, Verdict,
)

logger = logging.getLogger(__name__)


def request_snapshot(actor: Actor | None, *, kind: str, year: int, month: int | None = None) -> ReportSnapshot:
    """Order a new version of a report for a period and queue its computation.

    `actor` None is the system itself (Celery beat).
    """
    if actor is not None:
        policy.require(actor, "reporting.request_snapshot")
    if kind not in ReportKind.values:
        raise field_error("kind", "Ukjent rapport.", "unknown_report_kind")
    if kind == ReportKind.MONTHLY and not (month and 1 <= month <= 12):
        raise field_error("month", "Velg en måned.", "month_required")
    if kind == ReportKind.GOALS:
        month = None
    today = timezone.localdate()
    if (year, month or 1) > (today.year, today.month) or year < 2000:
        raise field_error("year", "Perioden kan ikke være fram i tid.", "period_in_future")
    for _ in range(3):
        try:
            with transaction.atomic():
                latest = ReportSnapshot.objects.filter(kind=kind, year=year, month=month).aggregate(v=Max("version"))["v"]
                snapshot = ReportSnapshot.objects.create(
                    kind=kind, year=year, month=month, version=(latest or 0) + 1,
                    requested_by=actor.user if actor and actor.user and actor.user.is_authenticated else None,
                )
                transaction.on_commit(lambda: _queue(snapshot))
            return snapshot
        except IntegrityError:
            continue  # someone took this version number at the same moment: take the next
    raise ValidationError("Kunne ikke opprette rapporten. Prøv igjen.", code="version_taken")


def has_data(figures: dict) -> bool:
    """Whether a period has anything to show: someone settled or waiting (monthly), a value (goals)."""
    if figures.get("kind") == "monthly":
        n = figures["national"]
        return bool(n["settled_ytd"] or n["waiting"] or n["assigned"])
    return any(i["actual"] is not None for g in figures["goals"] for i in g["indicators"])


def _queue(snapshot: ReportSnapshot):
    from core.jobs import enqueue

    from .tasks import compute_snapshot

    result = enqueue(compute_snapshot, snapshot.pk)
    if result is not None and result.id:
        ReportSnapshot.objects.filter(pk=snapshot.pk).update(task_id=result.id)


def run_snapshot(snapshot_id: int) -> ReportSnapshot:
    """Compute a snapshot's figures and freeze them. Safe to run twice: a finished snapshot is left as it is."""
    with transaction.atomic():
        snapshot = ReportSnapshot.objects.select_for_update(of=("self",)).get(pk=snapshot_id)
        if snapshot.status == SnapshotStatus.DONE:
            return snapshot
        snapshot.status, snapshot.started_at, snapshot.progress, snapshot.error = SnapshotStatus.RUNNING, timezone.now(), 1, ""
        snapshot.save(update_fields=["status", "started_at", "progress", "error"])

    def progress(pct):
        # Committed at once (autocommit), so the page polling the status sees it while the job runs.
        ReportSnapshot.objects.filter(pk=snapshot_id, status=SnapshotStatus.RUNNING).update(progress=pct)

    try:
        if snapshot.kind == ReportKind.MONTHLY:
            figures = reports.monthly_report(snapshot.year, snapshot.month, progress=progress)
        else:
            figures = reports.goal_report(snapshot.year, progress=progress, frozen=frozen_goal_years(snapshot.year, snapshot))
    except Exception:
        ReportSnapshot.objects.filter(pk=snapshot_id).update(
            status=SnapshotStatus.FAILED, error=traceback.format_exc(limit=5), finished_at=timezone.now()
        )
        raise
    with transaction.atomic():
        snapshot = ReportSnapshot.objects.select_for_update(of=("self",)).get(pk=snapshot_id)
        if snapshot.status == SnapshotStatus.DONE:
            return snapshot  # another run finished first; its figures stand
        snapshot.figures, snapshot.status, snapshot.progress = figures, SnapshotStatus.DONE, 100
        snapshot.finished_at = timezone.now()
        # Suppressed once here, so every page, export and the API read the same published version.
        snapshot.public_figures = publish(figures)
        snapshot.hidden_cells = hidden_cells(snapshot.public_figures)
        # A month not over when computed is marked as such; a period with no figures is not offered.
        snapshot.complete = timezone.localdate(snapshot.finished_at) > snapshot.period_end
        snapshot.has_data = has_data(figures)
        snapshot.save(update_fields=["figures", "public_figures", "hidden_cells", "complete", "has_data", "status",
                                     "progress", "finished_at"])
    logger.info("computed report snapshot %s", snapshot)
    return snapshot


def frozen_goal_years(up_to_year: int, snapshot: ReportSnapshot | None = None) -> dict[int, list]:
    """The closed years' settlement summaries for a goal report up to `up_to_year` ({year: rows}), read as stored;
    a closed year (before the current one) not stored yet is computed now, once, and stored (FrozenGoalYear).
    The current year is never frozen: its goal report is computed from the data as it is. `snapshot`: the goal
    snapshot being computed, recorded as the one that froze the years it stores."""
    closed = min(up_to_year, timezone.localdate().year - 1)
    frozen_through = FrozenGoalYear.objects.aggregate(y=Max("year"))["y"]
    if frozen_through is None or frozen_through < closed:
        first = frozen_through + 1 if frozen_through is not None else None
        by_year = {}
        for row in reports.goals.summary_rows(first, closed):
            by_year.setdefault(row.pop("y"), []).append(row)
        # Every year from the first one computed is stored, one with nobody settled as empty, so that every year up
        # to the latest stored one counts as frozen. A run at the same moment stores the same years: first one wins.
        years = range(first if first is not None else min(by_year, default=closed), closed + 1)
        FrozenGoalYear.objects.bulk_create([FrozenGoalYear(year=y, rows=by_year.get(y, []), frozen_by=snapshot) for y in years],
                                           ignore_conflicts=True)
    return dict(FrozenGoalYear.objects.filter(year__lte=closed).values_list("year", "rows"))


def recompute_closed_goal_years(actor: Actor, *, from_year: int) -> list[int]:
    """An IMDi admin unfreezes the closed years from `from_year` on and computes them again from today's data
    (after a correction of past settlement data). Goal reports ordered after this read the new figures; snapshots
    made before keep theirs. Returns the years stored again."""
    policy.require(actor, "reporting.record_indicator")
    closed = timezone.localdate().year - 1
    if from_year > closed:
        raise field_error("from_year", "Bare avsluttede år er frosset.", "year_not_closed")
    with transaction.atomic():
        for frozen in FrozenGoalYear.objects.select_for_update().filter(year__gte=from_year):
            # One by one, so that the history keeps each year's figures as they were, and who unfroze them.
            delete_as(frozen, actor)
        years = sorted(y for y in frozen_goal_years(closed) if y >= from_year)
    logger.info("goal report years %s recomputed by %s", years, actor)
    return years


@transaction.atomic
def record_verdict(actor: Actor, *, goal: str, indicator: Indicator | None = None, period: str, assessment: str,
                   note: str = "", source: str = "") -> Verdict:
    """An IMDi admin enters a verdict on a goal or steering parameter for a period (e.g. the evaluation's table 9.1)."""
    policy.require(actor, "reporting.record_verdict")
    if assessment not in Assessment.values:
        raise field_error("assessment", "Ukjent vurdering.", "unknown_assessment")
    if indicator is not None and indicator.goal != goal:
        raise field_error("indicator", "Styringsparameteren hører til et annet delmål.", "indicator_goal_mismatch")
    if not period.strip():
        raise field_error("period", "Oppgi perioden vurderingen gjelder.", "period_required")
    obj = Verdict.objects.select_for_update(of=("self",)).filter(goal=goal, indicator=indicator, period=period).first() or Verdict(
        goal=goal, indicator=indicator, period=period)
    obj.assessment, obj.note, obj.source = assessment, note, source
    save_as(obj, actor)
    return obj


@transaction.atomic
def record_indicator_value(actor: Actor, *, indicator: Indicator, year: int, value, note: str = "", sex: str = "",
                           part_year: str = "") -> IndicatorValue:
    """An IMDi admin enters the yearly value of an indicator the system cannot compute."""
    policy.require(actor, "reporting.record_indicator")
    if indicator.is_computed:
        raise Forbidden("Denne indikatoren beregnes av systemet og kan ikke registreres manuelt.", code="indicator_computed")
    if value is None or value < 0:
        raise field_error("value", "Verdien kan ikke være negativ.", "value_negative")
    if indicator.unit == Unit.PERCENT and value > 100:
        raise field_error("value", "En andel kan ikke være over 100 prosent.", "share_over_100")
    if year > timezone.localdate().year:
        raise field_error("year", "Året kan ikke være fram i tid.", "year_in_future")
    if indicator.unit == Unit.QUALITATIVE:
        raise field_error("indicator", "Denne styringsparameteren vurderes kvalitativt og har ingen tallverdi.",
                          "indicator_qualitative")
    if sex not in ("", "F", "M"):
        raise field_error("sex", "Ukjent kjønn.", "unknown_sex")
    obj = IndicatorValue.objects.select_for_update(of=("self",)).filter(indicator=indicator, year=year, sex=sex).first() or IndicatorValue(
        indicator=indicator, year=year, sex=sex)
    obj.value, obj.note, obj.part_year, obj.entered_by = value, note, part_year, actor.user
    save_as(obj, actor)
    return obj
