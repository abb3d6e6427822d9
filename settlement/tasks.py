"""Background jobs for the settlement pipeline (Celery)."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone

from core.models import Role

from .models import DistributionList, ProposalStatus

logger = logging.getLogger(__name__)


def absolute_url(name: str) -> str:
    """A link that works from an e-mail: the configured site address (SITE_URL) before the path."""
    return settings.SITE_URL + reverse(name)


def _recipients(municipality) -> list[str]:
    users = get_user_model().objects.filter(
        profile__role=Role.MUNICIPALITY, profile__municipality=municipality, is_active=True
    ).exclude(email="")
    emails = sorted({u.email for u in users} | ({municipality.email} if municipality.email else set()))
    return emails


@shared_task(bind=True, autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def notify_distribution_list(self, distribution_list_id: int) -> int:
    """Tell the municipality that a distribution list waits for its answer (replaces the letter).

    The message carries counts and a link only: personal data stays in the system.
    """
    dlist = DistributionList.objects.select_related("municipality").get(pk=distribution_list_id)
    totals = dlist.proposals.aggregate(households=Count("id"), persons=Sum("persons"))
    recipients = _recipients(dlist.municipality)
    if not recipients:
        return 0
    send_mail(
        subject=f"Forslag om bosetting: {totals['households']} husstander ({totals['persons']} personer)",
        message=(
            f"IMDi har sendt fordelingsliste {dlist.pk} til {dlist.municipality.name} kommune med "
            f"{totals['households']} husstander, til sammen {totals['persons']} personer.\n"
            f"Svarfrist: {dlist.reply_deadline:%d.%m.%Y}.\n\n"
            f"Svar i innboksen: {absolute_url('settlement:inbox')}"
        ),
        from_email=None,
        recipient_list=recipients,
    )
    logger.info("notified municipality %s of distribution list %s", dlist.municipality.number, dlist.pk)
    return len(recipients)


@shared_task
def remind_overdue_proposals() -> int:
    """Remind municipalities once about lists whose reply deadline has passed with proposals unanswered."""
    today = timezone.localdate()
    overdue = (
        DistributionList.objects.filter(
            reply_deadline__lt=today, reminded_at__isnull=True, proposals__status=ProposalStatus.PENDING
        )
        .select_related("municipality")
        .distinct()
    )
    from . import services  # services import this module's notify task

    sent = 0
    for dlist in overdue:
        recipients = _recipients(dlist.municipality)
        pending = dlist.proposals.filter(status=ProposalStatus.PENDING).count()
        if recipients:
            send_mail(
                subject=f"Purring: fordelingsliste {dlist.pk} er ikke besvart",
                message=(
                    f"Svarfristen {dlist.reply_deadline:%d.%m.%Y} er passert, og {pending} forslag venter på svar "
                    f"fra {dlist.municipality.name} kommune.\n\nSvar i innboksen: {absolute_url('settlement:inbox')}"
                ),
                from_email=None,
                recipient_list=recipients,
            )
            sent += 1
        # Mark even with no recipient, so the job is idempotent and never reminds twice (with history).
        services.mark_list_reminded(dlist.pk)
    return sent
