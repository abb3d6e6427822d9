"""Writes for agreements. IMDi's regional office owns an agreement; municipalities that are party to
it can mark their own action items done and deliver the yearly report."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.audit import save_as
from core.models import Role
from core.roles import Actor, IMDI_ROLES, require_role

from .models import ActionItem, AgreementGoal, AnnualStatusReport, Commitment, FollowUpMeeting, PartnershipAgreement



def _check_owner(actor: Actor, agreement: PartnershipAgreement):
    require_role(actor, *IMDI_ROLES)
    if actor.is_caseworker and agreement.region_id not in (None, actor.region_id):
        raise PermissionDenied("Avtalen følges opp av et annet regionkontor.")


def _check_party_or_owner(actor: Actor, agreement: PartnershipAgreement):
    if actor.is_municipality:
        if not actor.can_write or not agreement.municipalities.filter(pk=actor.municipality_id).exists():
            raise PermissionDenied("Kommunen er ikke part i avtalen.")
        return
    _check_owner(actor, agreement)


@transaction.atomic
def create_agreement(actor: Actor, *, title, agreement_type, region, start_date: date, end_date: date, purpose,
                     municipalities=(), agencies=(), goals=(), commitments=(), signed_by="") -> PartnershipAgreement:
    require_role(actor, *IMDI_ROLES)
    if actor.is_caseworker and (region is None or region.pk != actor.region_id):
        raise PermissionDenied("Du kan bare inngå avtaler for ditt eget regionkontor.")
    if end_date < start_date:
        raise ValidationError({"end_date": "Avtalen kan ikke slutte før den begynner."})
    if not municipalities and not agencies:
        raise ValidationError({"municipalities": "En avtale må ha minst én kommune eller etat som part."})
    agreement = PartnershipAgreement.objects.create(title=title, agreement_type=agreement_type, region=region, start_date=start_date,
                                                    end_date=end_date, purpose=purpose, signed_by=signed_by)
    agreement.municipalities.set(municipalities)
    agreement.agencies.set(agencies)
    AgreementGoal.objects.bulk_create([AgreementGoal(agreement=agreement, text=t) for t in goals if t.strip()])
    Commitment.objects.bulk_create([Commitment(agreement=agreement, party=p, text=t) for p, t in commitments if t.strip()])
    return agreement


@transaction.atomic
def add_action_item(actor: Actor, agreement, *, title, owner, due_date: date, responsible=None, note="") -> ActionItem:
    _check_owner(actor, agreement)
    if not title.strip():
        raise ValidationError({"title": "Beskriv tiltaket."})
    if not agreement.start_date <= due_date <= agreement.end_date:
        raise ValidationError({"due_date": f"Fristen må ligge i avtaleperioden ({agreement.start_date:%d.%m.%Y}–{agreement.end_date:%d.%m.%Y})."})
    item = ActionItem(agreement=agreement, title=title, owner=owner, due_date=due_date, responsible=responsible, note=note)
    save_as(item, actor)
    return item


@transaction.atomic
def complete_action_item(actor: Actor, item: ActionItem, *, done_on: date | None = None) -> ActionItem:
    item = ActionItem.objects.select_for_update().select_related("agreement").get(pk=item.pk)
    _check_party_or_owner(actor, item.agreement)
    if item.done_on:
        raise ValidationError("Tiltaket er allerede fullført.")
    done_on = done_on or timezone.localdate()
    if done_on > timezone.localdate():
        raise ValidationError({"done_on": "Datoen kan ikke være fram i tid."})
    item.done_on = done_on
    save_as(item, actor)
    return item


@transaction.atomic
def record_meeting(actor: Actor, agreement, *, held_on: date, minutes: str, participants="") -> FollowUpMeeting:
    _check_owner(actor, agreement)
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": "Et referat kan bare skrives for et møte som er holdt."})
    if not minutes.strip():
        raise ValidationError({"minutes": "Skriv referatet."})
    return FollowUpMeeting.objects.create(agreement=agreement, held_on=held_on, minutes=minutes, participants=participants)


@transaction.atomic
def submit_annual_report(actor: Actor, agreement, *, year: int, summary: str) -> AnnualStatusReport:
    _check_party_or_owner(actor, agreement)
    today = timezone.localdate()
    if not agreement.start_date.year <= year <= agreement.end_date.year:
        raise ValidationError({"year": "Året ligger utenfor avtaleperioden."})
    if year > today.year:
        raise ValidationError({"year": "Det kan ikke rapporteres for et år som ikke har begynt."})
    if not summary.strip():
        raise ValidationError({"summary": "Skriv status og resultater."})
    try:
        with transaction.atomic():
            return AnnualStatusReport.objects.create(agreement=agreement, year=year, summary=summary, submitted_on=today,
                                                     submitted_by=actor.user)
    except IntegrityError:
        raise ValidationError({"year": f"Årsrapporten for {year} er allerede levert."})
