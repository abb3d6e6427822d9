"""Celery beat runs the reminders the services offer (imdi.celery; the apps don't import the project package)."""

from celery.schedules import crontab

from imdi.celery import app


def _entry(task):
    return next(e for e in app.conf.beat_schedule.values() if e["task"] == task)


def test_the_request_reply_reminder_is_on_the_daily_beat_schedule():
    assert _entry("settlement.tasks.remind_unanswered_requests")["schedule"] == crontab(hour=7, minute=15)
