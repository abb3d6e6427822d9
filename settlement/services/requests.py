"""Requests and decisions: IMDi asks a municipality for places (anmodning), the municipality decides (vedtak)."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from django.core.validators import validate_email

from core import bounds, policy
from core.errors import field_error
from core.jobs import enqueue
from core.models import Municipality
from core.roles import Actor

from .. import planning, selectors
from ..models import (ContactTitle, MunicipalDecision, MunicipalityContact, RequestedPlaces, RequestLetter, RequestPlan,
                      SettlementRequest)
from ..tasks import send_request_letter_email as send_request_letter_task
from .common import lock_municipality, save, today

MAX_REQUEST_YEARS = 3
OTHER_REGION = "Kommunen hører til et annet regionkontor."


def _validate_years(years: dict[int, tuple[int, int]]):
    if not years:
        raise field_error("years", "Oppgi antall for minst ett år.", "no_years")
    ordered = sorted(years)
    if len(ordered) > MAX_REQUEST_YEARS:
        raise field_error("years", f"En anmodning gjelder høyst {MAX_REQUEST_YEARS} år.", "too_many_years")
    if ordered != list(range(ordered[0], ordered[0] + len(ordered))):
        raise field_error("years", "Årene i en anmodning må henge sammen.", "years_not_consecutive")
    for year, (persons, minors) in years.items():
        if persons < 0 or minors < 0:
            raise field_error("years", f"Antall for {year} kan ikke være negativt.", "negative_count")
        if persons > bounds.MAX_PLACES:
            raise field_error("years", f"Høyst {bounds.MAX_PLACES} personer per år.", "count_out_of_range")
        if minors > persons:
            raise field_error("years", f"Enslige mindreårige ({minors}) kan ikke være flere enn personer ({persons}) i {year}.",
                              "minors_exceed_persons")


@transaction.atomic
def create_settlement_request(
    actor: Actor, *, municipality: Municipality, sent_on: date, reply_deadline: date,
    years: dict[int, tuple[int, int]], note: str = "",
) -> SettlementRequest:
    """IMDi asks a municipality to settle refugees (anmodning), for up to three years."""
    policy.require_region(actor, "settlement.manage_requests", municipality.region_id, message=OTHER_REGION)
    _validate_years(years)
    on, errors = today(), {}
    bounds.check_year(errors, "years", min(years), on)
    bounds.check_year(errors, "years", max(years), on)
    bounds.check_date(errors, "sent_on", sent_on, earliest=bounds.EARLIEST_CASE_DATE, latest=on, label="Sendedatoen")
    bounds.check_date(errors, "reply_deadline", reply_deadline, earliest=bounds.EARLIEST_CASE_DATE,
                      latest=bounds.latest_deadline(on), label="Svarfristen")
    # No length check: the request has no text column with a maximum length (its note is unbounded text).
    request = SettlementRequest(municipality=municipality, sent_on=sent_on, reply_deadline=reply_deadline, note=note, created_by=actor.user)
    bounds.raise_if(errors)
    if reply_deadline < sent_on:
        raise field_error("reply_deadline", "Svarfristen må være etter sendedatoen.", "deadline_before_sent")
    taken = RequestedPlaces.objects.filter(municipality=municipality, year__in=years).values_list("year", flat=True)
    if taken:
        raise field_error(
            "years", f"{municipality} har allerede en anmodning for {', '.join(map(str, sorted(taken)))}. Juster den i stedet.",
            "request_exists",
        )
    save(request, actor)
    for year, (persons, minors) in sorted(years.items()):
        save(RequestedPlaces(request=request, municipality=municipality, year=year, persons=persons, unaccompanied_minors=minors), actor)
    return request


@transaction.atomic
def adjust_settlement_request(actor: Actor, request: SettlementRequest, *, years: dict[int, tuple[int, int]], note: str = "") -> SettlementRequest:
    """Change the numbers of an existing request; earlier numbers stay in the history."""
    policy.require_region(actor, "settlement.manage_requests", request.municipality.region_id, message=OTHER_REGION)
    _validate_years(years)
    existing = {rp.year: rp for rp in request.years.select_for_update()}
    if set(years) != set(existing):
        raise field_error("years", "En justering endrer antallet for de samme årene som anmodningen gjelder.", "years_changed")
    for year, (persons, minors) in years.items():
        rp = existing[year]
        rp.persons, rp.unaccompanied_minors = persons, minors
        save(rp, actor)
    request.adjusted_at = timezone.now()
    if note:
        request.note = note
    save(request, actor)
    return request


@transaction.atomic
def record_decision(
    actor: Actor, *, municipality: Municipality, year: int, places: int, unaccompanied_minors: int = 0,
    decided_on: date, housing_plan: str = "", reference: str = "",
) -> MunicipalDecision:
    """Register or change the municipality's decision (vedtak) for a year.

    The municipality's writers register their own; IMDi registers it on the municipality's behalf ("IMDi
    registrerer vedtakene", evaluation line 2261): a caseworker for the own region's municipalities, the national
    admin for any, always with the municipal decision's date and reference. The same rules hold for both:
    a decision may not go below the places already accepted, assigned or settled that year.
    """
    by_imdi = actor.role in policy.IMDI
    if by_imdi:
        policy.require_region(actor, "settlement.register_decision_for_municipality", municipality.region_id,
                              message=OTHER_REGION)
    else:
        policy.require_municipality_writer(actor, "settlement.record_decision", municipality.pk)
    errors = {}
    reference = (reference or "").strip()
    if by_imdi and not reference:
        errors["reference"] = ValidationError("Oppgi kommunens saksreferanse for vedtaket.", code="reference_required")
    elif len(reference) > MunicipalDecision._meta.get_field("reference").max_length:
        errors["reference"] = ValidationError("Referansen er for lang (høyst 60 tegn).", code="too_long")
    # Decisions for last year (late registration) up to three years ahead, dated 2000 to today.
    bounds.check_year(errors, "year", year, today())
    bounds.check_count(errors, "places", places, high=bounds.MAX_PLACES)
    bounds.check_date(errors, "decided_on", decided_on, earliest=bounds.EARLIEST_CASE_DATE, latest=bounds.LATEST_DATE,
                      label="Vedtaksdatoen")
    if places is None or places < 0:
        errors["places"] = ValidationError("Antallet kan ikke være negativt.", code="negative_count")
    if unaccompanied_minors is None or unaccompanied_minors < 0:
        errors["unaccompanied_minors"] = ValidationError("Antallet kan ikke være negativt.", code="negative_count")
    elif places is not None and unaccompanied_minors > places:
        errors["unaccompanied_minors"] = ValidationError(
            "Enslige mindreårige er en del av det vedtatte antallet og kan ikke være flere.", code="minors_exceed_places")
    if decided_on > today():
        errors["decided_on"] = ValidationError("Vedtaksdatoen kan ikke være fram i tid.", code="date_in_future")
    if errors:
        raise ValidationError(errors)
    lock_municipality(municipality.pk)
    cap = selectors.capacity(municipality.pk, year)
    committed = cap.assigned + cap.settled + cap.accepted
    if places < committed:
        raise field_error(
            "places", f"Kommunen har allerede tatt imot eller akseptert {committed} personer i {year}. Vedtaket kan ikke være lavere.",
            "below_committed",
        )
    request_years = RequestedPlaces.objects.filter(municipality=municipality, year=year).select_related("request").first()
    decision = MunicipalDecision.objects.select_for_update().filter(municipality=municipality, year=year).first()
    if decision is None:
        decision = MunicipalDecision(municipality=municipality, year=year)
    decision.places, decision.unaccompanied_minors = places, unaccompanied_minors
    decision.decided_on, decision.housing_plan = decided_on, housing_plan
    decision.request = request_years.request if request_years else None
    decision.registered_by = actor.user
    decision.reference, decision.registered_by_imdi = reference, by_imdi
    save(decision, actor)
    return decision


# --- Contacts, request planning and letters (issue 12; evaluation lines 2377-2397) ---------------------------

@transaction.atomic
def save_contact(actor: Actor, *, municipality: Municipality, name: str, title: str, email: str,
                 receives_request_letter: bool, contact: MunicipalityContact | None = None) -> MunicipalityContact:
    """Add or change a contact in the municipality's register. One contact per municipality receives the request
    letter (the chief executive, 2389-2390); marking a new one moves the letter there."""
    policy.require_region(actor, "settlement.manage_contacts", municipality.region_id, message=OTHER_REGION)
    if contact is not None and contact.municipality_id != municipality.pk:
        raise field_error("municipality", "Kontaktpersonen hører til en annen kommune.", "other_municipality")
    errors = {}
    name, email = (name or "").strip(), (email or "").strip()
    if not name:
        errors["name"] = ValidationError("Oppgi navn (eller funksjon, f.eks. «Kommunedirektøren»).", code="required")
    if title not in ContactTitle.values:
        errors["title"] = ValidationError("Velg en tittel fra listen.", code="invalid_choice")
    try:
        validate_email(email)
    except ValidationError:
        errors["email"] = ValidationError("Oppgi en gyldig e-postadresse.", code="invalid_email")
    target = contact or MunicipalityContact(municipality=municipality)
    target.name, target.title, target.email, target.receives_request_letter = name, title, email, bool(receives_request_letter)
    bounds.check_lengths(errors, target)
    bounds.raise_if(errors)
    if target.receives_request_letter:
        for other in MunicipalityContact.objects.select_for_update().filter(
                municipality=municipality, receives_request_letter=True).exclude(pk=target.pk):
            other.receives_request_letter = False
            save(other, actor)
    save(target, actor)
    return target


@transaction.atomic
def delete_contact(actor: Actor, contact: MunicipalityContact) -> None:
    policy.require_region(actor, "settlement.manage_contacts", contact.municipality.region_id, message=OTHER_REGION)
    contact.delete()


def letter_recipient(municipality: Municipality) -> MunicipalityContact | None:
    return MunicipalityContact.objects.filter(municipality=municipality, receives_request_letter=True).first()


def _queue_letter(actor: Actor, request: SettlementRequest, recipient: MunicipalityContact,
                  plan: RequestPlan | None = None) -> RequestLetter:
    letter = RequestLetter(request=request, plan=plan, recipient_name=recipient.name,
                           recipient_title=recipient.get_title_display(), recipient_email=recipient.email,
                           created_by=actor.user if actor.user and actor.user.is_authenticated else None)
    save(letter, actor)
    # The e-mail leaves after the commit; sent_at is written only when the mail backend took it.
    transaction.on_commit(lambda: enqueue(send_request_letter_task, letter.pk))
    return letter


@transaction.atomic
def send_request_letter(actor: Actor, request: SettlementRequest) -> RequestLetter:
    """Send the letter for a request registered without one (to the municipality's letter recipient)."""
    policy.require_region(actor, "settlement.manage_requests", request.municipality.region_id, message=OTHER_REGION)
    SettlementRequest.objects.select_for_update().filter(pk=request.pk).first()
    if RequestLetter.objects.filter(request=request).exists():
        raise field_error("request", "Anmodningsbrevet er allerede sendt for denne anmodningen.", "letter_exists")
    recipient = letter_recipient(request.municipality)
    if recipient is None:
        raise field_error("request", f"{request.municipality.name} har ingen mottaker av anmodningsbrevet i "
                                     "kontaktregisteret.", "no_recipient")
    return _queue_letter(actor, request, recipient)


@transaction.atomic
def send_request_letters(
    actor: Actor, *, first_year: int, key: planning.Key, needs: dict[int, tuple[int, int]],
    places: dict[int, dict[int, tuple[int, int]]], reply_deadline: date, note: str = "",
) -> list[SettlementRequest]:
    """Send the planned requests: one request (three years) and one letter per municipality with places asked for.

    `places` is municipality id -> year -> (persons, minors) as the caseworker adjusted the proposal; a municipality
    with no places in any year gets no letter. Every municipality goes through create_settlement_request (its
    region, years and bounds); any error refuses the whole round and nothing is sent.
    """
    policy.require(actor, "settlement.manage_requests")
    errors = {}
    for field, (message, code) in key.problems().items():
        errors[f"weight_{field}" if field != "factor" else "factor"] = ValidationError(message, code=code)
    years = list(range(first_year, first_year + MAX_REQUEST_YEARS))
    if sorted(needs) != years:
        errors["needs"] = ValidationError("Oppgi behovet for tre år etter hverandre.", code="years_not_consecutive")
    elif any(p < 0 or m < 0 or m > p for p, m in needs.values()):
        errors["needs"] = ValidationError("Behovet kan ikke være negativt, og enslige mindreårige er en del av det.",
                                          code="invalid_need")
    bounds.raise_if(errors)
    chosen = {m: y for m, y in places.items() if any(p for p, _ in y.values())}
    if not chosen:
        raise field_error("places", "Ingen kommuner har plasser i anmodningen.", "nothing_to_send")
    if any(sorted(y) != years for y in chosen.values()):
        raise field_error("places", "Hver kommune anmodes for de samme tre årene.", "years_changed")
    municipalities = Municipality.objects.in_bulk(list(chosen))
    if len(municipalities) != len(chosen):
        raise field_error("places", "Ukjent kommune i planen.", "unknown_municipality")
    for m in municipalities.values():
        policy.require_region(actor, "settlement.manage_requests", m.region_id, message=OTHER_REGION)
    recipients = {c.municipality_id: c for c in MunicipalityContact.objects.filter(
        municipality_id__in=list(chosen), receives_request_letter=True)}
    missing = sorted(m.name for pk, m in municipalities.items() if pk not in recipients)
    if missing:
        raise field_error("places", f"Mangler mottaker av brevet i kontaktregisteret: {', '.join(missing)}.", "no_recipient")
    plan = RequestPlan(first_year=first_year, needs={str(y): list(v) for y, v in needs.items()},
                       weight_population=key.population, weight_previous_settlement=key.previous_settlement,
                       weight_decided=key.decided, factor=key.factor, created_by=actor.user)
    bounds.check_year(errors, "first_year", first_year, today())
    bounds.raise_if(errors)
    save(plan, actor)
    sent = []
    for pk in sorted(chosen, key=lambda pk: municipalities[pk].number):
        municipality = municipalities[pk]
        try:
            request = create_settlement_request(actor, municipality=municipality, sent_on=today(),
                                                reply_deadline=reply_deadline, years=chosen[pk], note=note)
        except ValidationError as exc:
            # The round is refused as a whole; each error names the municipality. The years' errors are the plan's.
            raise ValidationError({
                ("places" if field == "years" else field): [
                    ValidationError(f"{municipality.name}: {message}", code=e.code)
                    for e in errs for message in e.messages]
                for field, errs in exc.error_dict.items()
            }) from exc
        _queue_letter(actor, request, recipients[pk], plan)
        sent.append(request)
    return sent


def mark_letter_sent(letter_id: int, *, pdf: bytes, sent_to: list[str]) -> RequestLetter:
    """The task's record that the mail backend took the letter: the PDF as attached, to whom, when."""
    with transaction.atomic():
        letter = RequestLetter.objects.select_for_update().get(pk=letter_id)
        letter.pdf, letter.sent_at, letter.sent_to = pdf, timezone.now(), ", ".join(sent_to)[:400]
        save(letter, None)
    return letter


def mark_letter_reminded(letter_id: int) -> None:
    with transaction.atomic():
        letter = RequestLetter.objects.select_for_update().get(pk=letter_id)
        letter.reminded_at = timezone.now()
        save(letter, None)


def reply_statuses(request: SettlementRequest) -> dict[int, planning.ReplyStatus]:
    """Year -> the municipality's answer to this request (its decision for the year against the places asked)."""
    decided = dict(MunicipalDecision.objects.filter(municipality_id=request.municipality_id,
                                                    year__in=[y.year for y in request.years.all()])
                   .values_list("year", "places"))
    return {y.year: planning.reply_status(y.persons, decided.get(y.year)) for y in request.years.all()}
