"""Background jobs for the settlement pipeline (Celery)."""

import logging

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, send_mail
from django.db.models import Count, Exists, OuterRef, Subquery, Sum
from django.urls import reverse
from django.utils import timezone

from core.models import Role

from .models import DistributionList, MunicipalDecision, ProposalStatus, RequestedPlaces, RequestLetter

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


# --- Request letters (anmodningsbrev, issue 12) -----------------------------------------------------------------

@shared_task(bind=True, autoretry_for=(ConnectionError, OSError), retry_backoff=True, max_retries=5)
def send_request_letter_email(self, letter_id: int) -> int:
    """E-mail the request letter to the municipality's chief executive with the PDF attached (copy to the
    municipality's postmottak), then record it as sent with the PDF as it was attached. A letter already sent is
    never sent again."""
    from . import letters, services

    letter = RequestLetter.objects.select_related("request__municipality__region").get(pk=letter_id)
    if letter.sent_at is not None:
        return 0
    request, municipality = letter.request, letter.request.municipality
    pdf = letters.request_letter_pdf(letter)
    years = [y.year for y in request.years.all()]
    cc = [municipality.email] if municipality.email and municipality.email != letter.recipient_email else []
    message = EmailMessage(
        subject=f"Anmodning om bosetting av flyktninger {min(years)}–{max(years)}: {municipality.name} kommune",
        body=(
            f"Til {letters.addressee(letter)}, {municipality.name} kommune.\n\n"
            f"Vedlagt er IMDis anmodning om bosetting av flyktninger for {min(years)}–{max(years)}.\n"
            f"Svarfrist for kommunens vedtak: {request.reply_deadline:%d.%m.%Y}.\n\n"
            f"Vedtaket kan registreres her: {absolute_url('settlement:decision')}\n\nMed hilsen\nIMDi"
        ),
        to=[letter.recipient_email], cc=cc,
    )
    message.attach(letters.letter_filename(letter), pdf, "application/pdf")
    message.send()
    services.mark_letter_sent(letter.pk, pdf=pdf, sent_to=[letter.recipient_email, *cc])
    logger.info("sent request letter %s to municipality %s", letter.pk, municipality.number)
    return 1


@shared_task
def remind_unanswered_requests() -> int:
    """Daily: remind the letter's recipient once when a request's reply deadline has passed and the municipality
    has decided for none of the request's years (deadlines followed up, evaluation lines 2397-2398)."""
    from . import letters, services

    today = timezone.localdate()
    decided = MunicipalDecision.objects.filter(municipality_id=OuterRef("request__municipality_id"),
                                               year__in=Subquery(RequestedPlaces.objects.filter(
                                                   request_id=OuterRef(OuterRef("request_id"))).values("year")))
    overdue = (RequestLetter.objects.filter(sent_at__isnull=False, reminded_at__isnull=True,
                                            request__reply_deadline__lt=today)
               .exclude(Exists(decided)).select_related("request__municipality"))
    sent = 0
    for letter in overdue:
        request = letter.request
        send_mail(
            subject=f"Påminnelse: svar på anmodning om bosetting – {request.municipality.name} kommune",
            message=(
                f"Til {letters.addressee(letter)}, {request.municipality.name} kommune.\n\n"
                f"Svarfristen {request.reply_deadline:%d.%m.%Y} for IMDis anmodning om bosetting av "
                f"{request.sent_on:%d.%m.%Y} er passert, og vi har ikke registrert kommunens vedtak.\n\n"
                f"Vedtaket kan registreres her: {absolute_url('settlement:decision')}\n\nMed hilsen\nIMDi"
            ),
            from_email=None,
            recipient_list=[letter.recipient_email],
        )
        services.mark_letter_reminded(letter.pk)
        sent += 1
    return sent


@shared_task(acks_late=True)
def solve_matching(run_id: int) -> None:
    """Utsøking for a large batch (issue 14): the page shows the job's progress and then its proposal."""
    from . import matching  # matching starts this job

    matching.execute_run(run_id)
