"""Grant jobs: build the quarter's per-capita claims from the settlement data."""

import logging

from celery import shared_task
from django.utils import timezone

from .entitlements import quarter_of
from .services import build_claims

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def build_quarter_claims(year: int | None = None, quarter: int | None = None) -> dict:
    """Without arguments (Celery beat, first day of a quarter): the quarter just ended."""
    if year is None or quarter is None:
        today = timezone.localdate()
        q = quarter_of(today)
        year, quarter = (today.year, q - 1) if q > 1 else (today.year - 1, 4)
    result = build_claims(year, quarter)
    logger.info("built grant claims for %s Q%s: %s", year, quarter, result)
    return {k: (str(v) if k == "total" else v) for k, v in result.items()}
