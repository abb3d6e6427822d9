"""Grant jobs: build the quarter's per-capita claims from the settlement data."""

import logging

from celery import shared_task
from django.utils import timezone

from .entitlements import previous_quarter
from .services import build_claims

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def build_quarter_claims(year: int | None = None, quarter: int | None = None) -> dict:
    """Without arguments (Celery beat, first day of a quarter): the quarter just ended."""
    if year is None or quarter is None:
        year, quarter = previous_quarter(timezone.localdate())
    result = build_claims(year, quarter)
    logger.info("built grant claims for %s Q%s: %s", year, quarter, result)
    return {k: (str(v) if k == "total" else v) for k, v in result.items()}
