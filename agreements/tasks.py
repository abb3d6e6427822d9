"""Reminders for agreement follow-up (Celery beat, weekly): overdue action items, missing yearly reports and quiet
agreements (no follow-up meeting for six months)."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse
from django.utils import timezone

from core.models import Role

from . import selectors, services
from .models import PartnershipAgreement

logger = logging.getLogger(__name__)


def _office_emails(agreement) -> list[str]:
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if agreement.region_id:
        users = users.filter(profile__role=Role.CASEWORKER, profile__region_id=agreement.region_id)
    else:
        users = users.filter(profile__role=Role.NATIONAL_ADMIN)
    return sorted({u.email for u in users})


def _link(agreement) -> str:
    """An absolute link (SITE_URL) to the agreement: a path alone does not work from an e-mail."""
    return settings.SITE_URL + reverse("agreements:detail", args=[agreement.pk])


def _send_once(kind, key, recipients, subject, body, today) -> bool:
    """Send unless this reminder already went out today (the log's unique key makes it idempotent)."""
    if not recipients or services.record_reminder(None, kind=kind, object_key=key, recipients=recipients, sent_on=today) is None:
        return False
    send_mail(subject, body, None, recipients)
    return True


@shared_task
def send_agreement_reminders() -> dict:
    today = timezone.localdate()
    agreements = PartnershipAgreement.objects.all()
    sent = {"action_items": 0, "annual_reports": 0}
    for item in selectors.overdue_action_items(agreements, today):
        recipients = [item.responsible.email] if item.responsible and item.responsible.email else _office_emails(item.agreement)
        if _send_once("action_item", str(item.pk), recipients, f"Forfalt tiltak: {item.title}",
                      f"Tiltaket «{item.title}» i avtalen «{item.agreement.title}» hadde frist {item.due_date:%d.%m.%Y} "
                      f"og er ikke registrert som fullført. Ansvarlig part: {item.owner}.\n\n"
                      f"Se avtalen: {_link(item.agreement)}", today):
            sent["action_items"] += 1
    for agreement, year in selectors.missed_reports(agreements, today):
        if _send_once("annual_report", f"{agreement.pk}-{year}", _office_emails(agreement), f"Årsrapport mangler: {agreement.title}",
                      f"Årsrapporten for {year} for avtalen «{agreement.title}» skulle vært levert innen "
                      f"{selectors.report_due(year):%d.%m.%Y}.\n\nSe avtalen: {_link(agreement)}", today):
            sent["annual_reports"] += 1
    sent["quiet"] = send_quiet_agreement_reminders()
    logger.info("agreement reminders sent: %s", sent)
    return sent


@shared_task
def send_quiet_agreement_reminders() -> int:
    """An active agreement with no meeting for six months: its office is reminded once per quiet period (recorded
    through services.record_quiet_reminder, with history); a meeting starts a new period."""
    today = timezone.localdate()
    sent = 0
    for agreement in selectors.without_recent_meeting(PartnershipAgreement.objects.all(), today):
        recipients = _office_emails(agreement)
        since = f"siste møte var {agreement.last_meeting:%d.%m.%Y}" if agreement.last_meeting else "det er ikke registrert noe møte"
        if not recipients or services.record_quiet_reminder(None, agreement, last_meeting=agreement.last_meeting,
                                                              recipients=recipients, sent_on=today) is None:
            continue
        send_mail(f"Ingen oppfølgingsmøte på seks måneder: {agreement.title}",
                  f"Avtalen «{agreement.title}» har ikke hatt oppfølgingsmøte på over seks måneder ({since}). "
                  f"Avtal et møte med partene.\n\nSe avtalen: {_link(agreement)}", None, recipients)
        sent += 1
    return sent
