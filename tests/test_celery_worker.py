"""A real Celery worker consumes the jobs from Redis (no eager mode)."""

import time
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connections

from imdi.celery import app
from settlement import services
from settlement.models import DistributionList
from settlement.tasks import notify_distribution_list, remind_overdue_proposals

@pytest.mark.celery_worker
def test_worker_sends_distribution_list_notice_and_overdue_reminder(redis_worker, ref, actors, users, make_household, decide, today):
    assert redis_worker.conf.broker_url.startswith("redis://")
    decide(ref["oslo"], places=5)
    household = make_household(size=2)
    # Proposing enqueues the notice on commit; the worker thread picks it up from Redis.
    dlist = services.propose_households(actors["cw_ost"], municipality=ref["oslo"], household_ids=[household.pk],
                                        reply_deadline=today)
    deadline = time.monotonic() + 30
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.1)
    assert len(mail.outbox) == 1
    notice = mail.outbox[0]
    assert notice.subject == "Forslag om bosetting: 1 husstander (2 personer)"
    assert set(notice.to) == {"oslo@example.no", "oslo_read@example.no", "postmottak@oslo.kommune.no"}
    assert "Haile" not in notice.body  # counts and a link only, no personal data

    # The result travels back through Redis too.
    assert notify_distribution_list.delay(dlist.pk).get(timeout=30) == 3

    DistributionList.objects.filter(pk=dlist.pk).update(reply_deadline=today - timedelta(days=1))
    assert remind_overdue_proposals.delay().get(timeout=30) == 1
    assert remind_overdue_proposals.delay().get(timeout=30) == 0  # idempotent: one reminder per list
    assert mail.outbox[-1].subject == f"Purring: fordelingsliste {dlist.pk} er ikke besvart"
    assert DistributionList.objects.get(pk=dlist.pk).reminded_at is not None


@pytest.mark.celery_worker
def test_worker_computes_report_snapshot(redis_worker, actors):
    from reporting.models import ReportSnapshot, SnapshotStatus
    from reporting.services import request_snapshot
    from reporting.reference import load_indicators
    from settlement.tests import report_data

    report_data.build()
    load_indicators()  # the year's targets are data (issue 10)
    # Ordering commits at once (no test transaction here), so the job goes to Redis and the worker computes it.
    snapshot = request_snapshot(actors["admin"], kind="monthly", year=2025, month=6)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        snapshot.refresh_from_db()
        if snapshot.status in (SnapshotStatus.DONE, SnapshotStatus.FAILED):
            break
        time.sleep(0.2)
    assert snapshot.status == SnapshotStatus.DONE, snapshot.error
    assert snapshot.task_id
    assert snapshot.figures["national"]["settled_ytd"] == 10
    assert snapshot.figures["targets"][0]["actual"] == 77.8
    assert ReportSnapshot.objects.count() == 1
