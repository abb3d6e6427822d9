"""E-mails link with absolute addresses (settings.SITE_URL, env DJANGO_SITE_URL): a path alone such as
/bosetting/kommune/innboks/ does not open from a mail program."""

from datetime import timedelta

from django.core import mail
from django.urls import reverse

from agreements import services
from agreements.tasks import send_agreement_reminders
from settlement.models import DistributionList
from settlement.tasks import notify_distribution_list, remind_overdue_proposals


def test_settlement_mails_link_to_the_inbox_with_the_site_address(settings, make_household, ref, users, today):
    settings.SITE_URL = "https://bosetting.imdi.no"
    household = make_household(proposed=True, municipality=ref["oslo"])
    dlist = household.proposals.get().distribution_list
    mail.outbox.clear()
    notify_distribution_list(dlist.pk)
    DistributionList.objects.filter(pk=dlist.pk).update(reply_deadline=today - timedelta(days=1))
    remind_overdue_proposals()
    inbox = "https://bosetting.imdi.no" + reverse("settlement:inbox")
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        assert f"Svar i innboksen: {inbox}" in message.body
        assert " /bosetting/" not in message.body


def test_agreement_reminders_link_to_the_agreement(settings, agreement, actors, users, today):
    settings.SITE_URL = "https://bosetting.imdi.no"
    services.add_action_item(actors["cw_ost"], agreement, title="Boligplan", owner="Oslo",
                             due_date=today - timedelta(days=5), responsible=users["oslo"])
    send_agreement_reminders()
    link = f"https://bosetting.imdi.no/avtaler/{agreement.pk}/"
    assert reverse("agreements:detail", args=[agreement.pk]) == f"/avtaler/{agreement.pk}/"
    assert mail.outbox and all(f"Se avtalen: {link}" in m.body for m in mail.outbox)
