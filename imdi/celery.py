import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imdi.settings.base")

app = Celery("imdi")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

app.conf.beat_schedule = {
    # Jobs kept in the database while Redis was down.
    "send-queued-jobs": {"task": "core.tasks.send_queued_jobs", "schedule": 60.0},
    # Municipalities that let a proposal's reply deadline pass get a reminder every morning.
    "remind-overdue-proposals": {
        "task": "settlement.tasks.remind_overdue_proposals",
        "schedule": crontab(hour=7, minute=0),
    },
    # Request letters whose reply deadline has passed without a decision: one reminder each (issue 12).
    "remind-unanswered-requests": {
        "task": "settlement.tasks.remind_unanswered_requests",
        "schedule": crontab(hour=7, minute=15),
    },
    # The monthly settlement report for the month just ended, on the 1st of each month.
    "monthly-settlement-report": {
        "task": "reporting.tasks.monthly_settlement_report",
        "schedule": crontab(day_of_month=1, hour=6, minute=0),
    },
    # Per-capita grant claims for the quarter just ended.
    "build-quarter-claims": {
        "task": "grants.tasks.build_quarter_claims",
        "schedule": crontab(day_of_month=2, month_of_year="1,4,7,10", hour=5, minute=0),
    },
    # Grantees whose report on a discretionary grant is overdue: one reminder a month per report.
    "grant-report-reminders": {
        "task": "grants.tasks.remind_overdue_reports",
        "schedule": crontab(hour=7, minute=15),
    },
    # Reminders about overdue action items and missing yearly reports in partnership agreements.
    "agreement-reminders": {
        "task": "agreements.tasks.send_agreement_reminders",
        "schedule": crontab(day_of_week="mon", hour=7, minute=30),
    },
}
