"""Report jobs: compute a snapshot (retried on failure), and the monthly run on the 1st."""

import logging

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from .models import ReportKind, ReportSnapshot
from .services import request_snapshot, run_snapshot

logger = logging.getLogger(__name__)


@shared_task(bind=True, autoretry_for=(OperationalError, InterfaceError, ConnectionError), retry_backoff=True,
             retry_backoff_max=300, max_retries=4)
def compute_snapshot(self, snapshot_id: int) -> int:
    """Idempotent: a snapshot that is already done is left untouched."""
    return run_snapshot(snapshot_id).pk


@shared_task
def monthly_settlement_report() -> int | None:
    """Celery beat, the 1st of each month: the report for the month just ended.

    Runs once per month: if the system already ordered that month's report, nothing new is made.
    """
    today = timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    if ReportSnapshot.objects.filter(kind=ReportKind.MONTHLY, year=year, month=month, requested_by__isnull=True).exists():
        return None
    snapshot = request_snapshot(None, kind=ReportKind.MONTHLY, year=year, month=month)
    logger.info("ordered monthly settlement report %s", snapshot)
    return snapshot.pk
