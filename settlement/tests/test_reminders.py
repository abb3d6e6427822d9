"""The overdue-list reminder job: writes through the services, so the audit history shows the reminder."""

from datetime import timedelta

from django.core import mail

from settlement.models import DistributionList
from settlement.tasks import remind_overdue_proposals


def test_reminder_is_sent_once_and_recorded_in_the_history(make_household, ref, users, today):
    household = make_household(proposed=True, municipality=ref["oslo"])
    dlist = household.proposals.get().distribution_list
    DistributionList.objects.filter(pk=dlist.pk).update(reply_deadline=today - timedelta(days=1))

    assert remind_overdue_proposals() == 1
    assert remind_overdue_proposals() == 0  # never twice
    dlist.refresh_from_db()
    assert dlist.reminded_at is not None
    assert len(mail.outbox) == 1
    changes = [h for h in dlist.history.order_by("history_date") if h.reminded_at is not None]
    assert len(changes) == 1 and changes[0].history_type == "~"
