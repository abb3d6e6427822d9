"""Fixtures for the end-to-end tests: Debian's chromium for the browser tests, a real Celery worker against Redis."""

import os
from contextlib import contextmanager

import pytest
from celery import Celery
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from imdi.celery import app as imdi_app
from tests.browser import chromium

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@contextmanager
def celery_app(broker_url: str):
    """A separate Celery app on this broker, current while the block runs (public API only).

    The project's tasks are shared tasks, so `.delay()` and `send_task` go to the current app: the
    project's own app (eager in tests) is left as it is, and comes back as current afterwards.
    """
    test_app = Celery("imdi-test", set_as_current=False)
    test_app.config_from_object("django.conf:settings", namespace="CELERY")
    test_app.conf.update(broker_url=broker_url, result_backend=broker_url, task_always_eager=False)
    test_app.autodiscover_tasks(force=True)
    test_app.set_current()
    try:
        yield test_app
    finally:
        imdi_app.set_current()
        test_app.close()


@contextmanager
def worker_for(test_app):
    """A worker thread on the app's queue, emptied first; its database connection is closed after each task
    so that the test database can be dropped at the end of the run."""
    with test_app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    task_postrun.connect(_close_db_connections)
    try:
        with start_worker(test_app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield test_app
    finally:
        task_postrun.disconnect(_close_db_connections)


@pytest.fixture
def redis_worker(transactional_db):
    """A Celery app on Redis with a worker thread; the project's app stays eager."""
    with celery_app(REDIS_URL) as test_app, worker_for(test_app):
        yield test_app


def _close_db_connections(**kwargs):
    connections.close_all()


@pytest.fixture
def browser():
    """Debian's chromium through Playwright (tests.browser)."""
    with chromium() as browser:
        yield browser
    connections.close_all()
