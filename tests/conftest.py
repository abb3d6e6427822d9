"""Fixtures for the end-to-end tests: a real Celery worker against Redis."""

import os

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from imdi.celery import app

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


@pytest.fixture
def redis_worker(transactional_db):
    """Point the app at Redis and run a worker thread; restore eager mode afterwards."""
    saved = {k: app.conf[k] for k in ("broker_url", "result_backend", "task_always_eager")}
    app.conf.update(broker_url=REDIS_URL, result_backend=REDIS_URL, task_always_eager=False)
    _reset_connections()
    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge("celery")
    # The worker thread has its own database connection: close it after each task so that the
    # test database can be dropped at the end of the run.
    task_postrun.connect(_close_db_connections)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            yield app
    finally:
        task_postrun.disconnect(_close_db_connections)
        app.conf.update(saved)
        _reset_connections()


def _close_db_connections(**kwargs):
    connections.close_all()


def _reset_connections():
    # Pools and the result backend are built lazily from the config: drop them so the new broker is used.
    app._pool = None
    app.amqp._producer_pool = None
    app.__dict__.pop("backend", None)
    app._local.__dict__.pop("backend", None)
