"""Queueing background jobs so that a broker outage never breaks a request or loses a job.

If Redis cannot be reached, the job is written to the database (QueuedJob) in the same breath; it
is sent again by the next successful enqueue and by a beat job every minute once Redis is back.
"""

import logging

from celery import current_app

from .models import QueuedJob

logger = logging.getLogger(__name__)


def enqueue(task, *args):
    try:
        result = task.delay(*args)
    except Exception as exc:  # noqa: BLE001 - kombu and redis raise many kinds of connection errors
        QueuedJob.objects.create(task_name=task.name, args=list(args), last_error=type(exc).__name__)
        logger.warning("broker unavailable; job %s kept in the database to be sent later", task.name)
        return None
    flush_queued_jobs()
    return result


def flush_queued_jobs(limit: int = 100) -> int:
    """Send the jobs kept while the broker was down. Stops at the first failure (still down)."""
    sent = 0
    for job in QueuedJob.objects.all()[:limit]:
        try:
            current_app.send_task(job.task_name, args=job.args)
        except Exception as exc:  # noqa: BLE001
            QueuedJob.objects.filter(pk=job.pk).update(attempts=job.attempts + 1, last_error=type(exc).__name__)
            break
        QueuedJob.objects.filter(pk=job.pk).delete()
        sent += 1
    if sent:
        logger.info("sent %s jobs kept while the broker was down", sent)
    return sent
