"""Agreement reminders (weekly Celery beat): overdue action items and missing yearly reports, once a day.
The date is pinned to 16 June 2025 (conftest), so 2024's report (due 1 March 2025) is missing."""

from datetime import timedelta

from django.core import mail

from agreements import services
from agreements.models import ReminderLog
from agreements.tasks import send_agreement_reminders


def test_reminders_are_sent_once_a_day(agreement, actors, users, today):
    services.add_action_item(actors["cw_ost"], agreement, title="Boligplan", owner="Oslo",
                             due_date=today - timedelta(days=5), responsible=users["oslo"])
    services.submit_annual_report(actors["oslo"], agreement, year=2023, summary="Levert")
    assert send_agreement_reminders() == {"action_items": 1, "annual_reports": 1, "quiet": 1}
    assert {m.subject: m.to for m in mail.outbox} == {
        "Forfalt tiltak: Boligplan": ["oslo@example.no"],  # the responsible person
        "Årsrapport mangler: Partnerskapsavtale Oslo": ["cw_ost@example.no"],  # the region's caseworkers
        "Ingen oppfølgingsmøte på seks måneder: Partnerskapsavtale Oslo": ["cw_ost@example.no"],  # no meeting since 2023
    }
    assert send_agreement_reminders() == {"action_items": 0, "annual_reports": 0, "quiet": 0}  # the same day: nothing twice
    assert len(mail.outbox) == 3


def test_reminders_are_recorded_through_the_service_with_history(agreement, actors, today):
    services.add_action_item(actors["cw_ost"], agreement, title="Boligplan", owner="Oslo", due_date=today - timedelta(days=5))
    send_agreement_reminders()
    log = ReminderLog.objects.get(kind="action_item")
    # No responsible person: the region's caseworkers get it.
    assert (log.sent_on, log.recipients) == (today, "cw_ost@example.no")
    assert log.history.get().history_type == "+"
