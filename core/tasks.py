from celery import shared_task

from .jobs import flush_queued_jobs


@shared_task
def send_queued_jobs() -> int:
    """Celery beat, every minute: jobs kept in the database during a broker outage."""
    return flush_queued_jobs()
