"""Grant jobs: build the quarter's per-capita claims from the settlement data, send decision letters, and remind
grantees whose reports are overdue."""

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.urls import reverse
from django.utils import timezone

from . import letters, selectors, services
from .entitlements import previous_quarter
from .models import DecisionLetter, ReportReminder
from .services import build_claims

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(ConnectionError,), retry_backoff=True, max_retries=3)
def build_quarter_claims(year: int | None = None, quarter: int | None = None) -> dict:
    """Without arguments (Celery beat, first day of a quarter): the quarter just ended."""
    if year is None or quarter is None:
        year, quarter = previous_quarter(timezone.localdate())
    result = build_claims(year, quarter)
    logger.info("built grant claims for %s Q%s: %s", year, quarter, result)
    return {k: (str(v) if k == "total" else v) for k, v in result.items()}


@shared_task(autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def email_decision_letter(letter_id: int) -> bool:
    """E-mail a kept decision letter (its stored PDF) to the municipality; once, however often the job runs."""
    letter = DecisionLetter.objects.select_related("claim__municipality").get(pk=letter_id)
    if letter.sent_at is not None:
        return False
    claim = letter.claim
    message = EmailMessage(
        subject=f"Vedtak om tilskudd for {claim.quarter}. kvartal {claim.year} – {claim.municipality.name} kommune",
        body=(f"Vedlagt følger IMDis vedtak om per capita-tilskudd for {claim.quarter}. kvartal {claim.year}.\n\n"
              f"Referanse: {letters.reference(claim)}\nSjekksum (SHA-256): {letter.checksum}\n\n"
              f"Se kravet: {settings.SITE_URL}{reverse('grants:claim', args=[claim.pk])}"),
        to=[letter.recipient])
    message.attach(letters.letter_filename(claim), bytes(letter.pdf), "application/pdf")
    message.send()
    return services.mark_letter_sent(letter.pk) is not None


@shared_task
def remind_overdue_reports() -> int:
    """Celery beat (daily): one reminder per overdue report and month, recorded before the mail goes."""
    today = timezone.localdate()
    sent = 0
    for app in selectors.overdue_reports(today).select_related("grant_year__scheme", "municipality", "submitted_by"):
        reminder = services.remind_overdue_report(None, app, today=today)
        if reminder is None:
            continue
        send_reminder_mail(reminder.pk)
        sent += 1
    logger.info("overdue grant report reminders: %s", sent)
    return sent


def send_reminder_mail(reminder_id: int) -> bool:
    """The reminder's mail to the grantee (the municipality's post address, or whoever sent the application)."""
    reminder = ReportReminder.objects.select_related("application__grant_year__scheme").get(pk=reminder_id)
    if not reminder.recipient:
        return False
    app = reminder.application
    send_mail(f"Påminnelse: rapport for tilskudd «{app.title}»",
              f"Rapporten for tilskuddet «{app.title}» ({app.grant_year}) skulle vært levert innen "
              f"{app.grant_year.report_deadline:%d.%m.%Y}. Send rapporten i IMDis løsning:\n"
              f"{settings.SITE_URL}{reverse('grants:application', args=[app.pk])}", None, [reminder.recipient])
    return True
