"""Request planning and letters, the contact register, and decisions IMDi registers on a municipality's behalf
(issue 12 items 2 and 3), through the services: every role, every rule, bad input (a coded error, nothing changed)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import error_codes
from core.models import QueuedJob
from settlement import services, tasks
from settlement.models import (ContactTitle, MunicipalDecision, MunicipalityContact, RequestedPlaces, RequestLetter,
                               RequestPlan, SettlementRequest)
from settlement.planning import Key, ReplyStatus

KEY = Key(Decimal("0.5"), Decimal("0.25"), Decimal("0.25"), Decimal("1.10"))


@pytest.fixture
def contacts(ref, actors):
    made = {}
    for name in ("oslo", "baerum", "bergen"):
        m = ref[name]
        actor = actors["cw_vest"] if name == "bergen" else actors["cw_ost"]
        made[name] = services.save_contact(actor, municipality=m, name="Kommunedirektøren",
                                           title=ContactTitle.CHIEF_EXECUTIVE, email=f"kommunedirektor@{name}.kommune.no",
                                           receives_request_letter=True)
    return made


def _plan(y, overrides=None):
    return {y + i: (overrides or {}).get(y + i, (30, 3)) for i in range(3)}


def _send(actor, places, y, *, key=KEY, deadline=None, needs=None, today=None):
    today = today or date.today()
    return services.send_request_letters(
        actor, first_year=y, key=key, needs=needs or {y: (1000, 100), y + 1: (1000, 100), y + 2: (900, 90)},
        places=places, reply_deadline=deadline or today + timedelta(days=60), note="")


# --- Contacts -------------------------------------------------------------------------------------------------

def test_contacts_for_the_own_region_and_one_letter_recipient(ref, actors, contacts):
    oslo = ref["oslo"]
    first = contacts["oslo"]
    second = services.save_contact(actors["admin"], municipality=oslo, name="Rådmannens kontor", title=ContactTitle.RADMANN,
                                   email="radmann@oslo.kommune.no", receives_request_letter=True)
    first.refresh_from_db()
    assert (first.receives_request_letter, second.receives_request_letter) == (False, True)
    assert services.letter_recipient(oslo) == second
    assert [h.receives_request_letter for h in first.history.order_by("history_date")] == [True, False]

    for actor, code in (("cw_vest", "other_region"), ("oslo", "role_not_allowed"), ("ministry", "role_not_allowed")):
        with pytest.raises(PermissionDenied) as exc:
            services.save_contact(actors[actor], municipality=oslo, name="X", title=ContactTitle.MAYOR, email="x@oslo.no",
                                  receives_request_letter=False)
        assert error_codes(exc.value) == {code}
        with pytest.raises(PermissionDenied):
            services.delete_contact(actors[actor], second)
    assert MunicipalityContact.objects.filter(municipality=oslo).count() == 2


@pytest.mark.parametrize("field,value,code", [
    ("name", "  ", "required"), ("email", "ikke-en-adresse", "invalid_email"), ("title", "sjef", "invalid_choice"),
    ("name", "x" * 121, "too_long"),
])
def test_contact_bad_input_changes_nothing(ref, actors, contacts, field, value, code):
    data = {"name": "Ny", "title": ContactTitle.MAYOR, "email": "ny@oslo.kommune.no", field: value}
    with pytest.raises(ValidationError) as exc:
        services.save_contact(actors["cw_ost"], municipality=ref["oslo"], receives_request_letter=True,
                              contact=contacts["oslo"], **data)
    assert error_codes(exc.value) == {code}
    contacts["oslo"].refresh_from_db()
    assert (contacts["oslo"].name, contacts["oslo"].receives_request_letter) == ("Kommunedirektøren", True)


def test_a_contact_is_changed_only_in_its_own_municipality(ref, actors, contacts):
    with pytest.raises(ValidationError) as exc:
        services.save_contact(actors["admin"], municipality=ref["baerum"], name="X", title=ContactTitle.MAYOR,
                              email="x@baerum.no", receives_request_letter=False, contact=contacts["oslo"])
    assert error_codes(exc.value) == {"other_municipality"}


# --- Sending a round of letters ------------------------------------------------------------------------------

def test_sending_makes_requests_letters_and_emails_with_the_pdf(ref, actors, users, contacts, today,
                                                                django_capture_on_commit_callbacks):
    y = today.year + 1
    with django_capture_on_commit_callbacks(execute=True):
        sent = _send(actors["cw_ost"], {ref["oslo"].pk: _plan(y, {y: (500, 40)}), ref["baerum"].pk: _plan(y),
                                        ref["tromso"].pk: _plan(y, {y: (0, 0), y + 1: (0, 0), y + 2: (0, 0)})}, y)
    # Tromsø (another region) had no places in the plan: no request, no letter, and no region error.
    assert sorted(r.municipality.name for r in sent) == ["Bærum", "Oslo"]
    assert RequestedPlaces.objects.get(municipality=ref["oslo"], year=y).persons == 500
    assert sorted(RequestedPlaces.objects.filter(municipality=ref["baerum"]).values_list("year", flat=True)) == [y, y + 1, y + 2]
    plan = RequestPlan.objects.get()
    assert (plan.first_year, plan.factor, plan.needs[str(y)], plan.created_by) == (y, Decimal("1.10"), [1000, 100], users["cw_ost"])

    assert len(mail.outbox) == 2
    message = next(m for m in mail.outbox if m.to == ["kommunedirektor@oslo.kommune.no"])
    assert message.cc == [ref["oslo"].email]
    ((filename, content, mimetype),) = message.attachments
    assert (filename, mimetype) == (f"anmodning-bosetting-0301-{y}-{y + 2}.pdf", "application/pdf")
    assert content.startswith(b"%PDF")
    letter = RequestLetter.objects.get(request__municipality=ref["oslo"])
    assert letter.sent_at is not None and bytes(letter.pdf) == content and letter.plan == plan
    assert letter.sent_to == f"kommunedirektor@oslo.kommune.no, {ref['oslo'].email}"
    assert (letter.recipient_title, letter.recipient_name) == ("Kommunedirektør", "Kommunedirektøren")


def test_a_letter_is_recorded_as_sent_only_when_the_mail_backend_took_it(ref, actors, contacts, today, settings,
                                                                         django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "settlement.tests.test_services_request_letters.BrokenBackend"
    y = today.year + 1
    with django_capture_on_commit_callbacks(execute=True):
        _send(actors["cw_ost"], {ref["oslo"].pk: _plan(y)}, y)
    letter = RequestLetter.objects.get()
    assert letter.sent_at is None and not letter.pdf  # "Anmodning er sendt" only after a real send
    assert QueuedJob.objects.get().task_name == "settlement.tasks.send_request_letter_email"  # kept to be sent again
    # The task sends it once the backend works, and never twice.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert tasks.send_request_letter_email(letter.pk) == 1
    assert tasks.send_request_letter_email(letter.pk) == 0
    assert len(mail.outbox) == 1
    letter.refresh_from_db()
    assert letter.sent_at is not None


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise OSError("SMTP down")


def _nothing_sent():
    return not SettlementRequest.objects.exists() and not RequestLetter.objects.exists() \
        and not RequestPlan.objects.exists() and not mail.outbox


def test_a_round_is_refused_whole(ref, actors, contacts, today, django_capture_on_commit_callbacks):
    y = today.year + 1
    cases = [
        # Bergen is region Vest: the caseworker of Øst may not ask it, so Oslo is not asked either.
        ("cw_ost", {ref["oslo"].pk: _plan(y), ref["bergen"].pk: _plan(y)}, {}, PermissionDenied, {"other_region"}),
        ("oslo", {ref["oslo"].pk: _plan(y)}, {}, PermissionDenied, {"role_not_allowed"}),
        ("ministry", {ref["oslo"].pk: _plan(y)}, {}, PermissionDenied, {"role_not_allowed"}),
        # Tromsø has no letter recipient in the contact register.
        ("admin", {ref["oslo"].pk: _plan(y), ref["tromso"].pk: _plan(y)}, {}, ValidationError, {"no_recipient"}),
        ("cw_ost", {ref["oslo"].pk: _plan(y, {y: (0, 0), y + 1: (0, 0), y + 2: (0, 0)})}, {}, ValidationError,
         {"nothing_to_send"}),
        ("cw_ost", {ref["oslo"].pk: {y: (10, 0), y + 1: (10, 0)}}, {}, ValidationError, {"years_changed"}),
        ("cw_ost", {ref["oslo"].pk: _plan(y, {y: (3, 4)})}, {}, ValidationError, {"minors_exceed_persons"}),
        ("cw_ost", {ref["oslo"].pk: _plan(y, {y: (-1, 0)})}, {}, ValidationError, {"negative_count"}),
        ("cw_ost", {ref["oslo"].pk: _plan(y)}, {"deadline": today - timedelta(days=1)}, ValidationError,
         {"deadline_before_sent"}),
        ("cw_ost", {ref["oslo"].pk: _plan(y)}, {"key": Key(Decimal(0), Decimal(0), Decimal(0))}, ValidationError,
         {"no_weight"}),
        ("cw_ost", {ref["oslo"].pk: _plan(y)}, {"key": Key(factor=Decimal("0.8"))}, ValidationError, {"factor_out_of_range"}),
        ("cw_ost", {ref["oslo"].pk: _plan(y)}, {"needs": {y: (10, 0), y + 2: (10, 0), y + 3: (1, 0)}}, ValidationError,
         {"years_not_consecutive"}),
        ("cw_ost", {ref["oslo"].pk: _plan(y)}, {"needs": {y: (10, 11), y + 1: (10, 0), y + 2: (1, 0)}}, ValidationError,
         {"invalid_need"}),
        ("cw_ost", {999_999: _plan(y)}, {}, ValidationError, {"unknown_municipality"}),
    ]
    for actor, places, extra, error, codes in cases:
        with pytest.raises(error) as exc, django_capture_on_commit_callbacks(execute=True):
            _send(actors[actor], places, y, **extra)
        assert error_codes(exc.value) == codes, (actor, codes)
        assert _nothing_sent(), codes


def test_a_municipality_already_asked_stops_the_round_and_is_named(ref, actors, contacts, today,
                                                                   django_capture_on_commit_callbacks):
    y = today.year + 1
    services.create_settlement_request(actors["cw_ost"], municipality=ref["baerum"], sent_on=today,
                                       reply_deadline=today + timedelta(days=30), years={y + 1: (5, 0)})
    with pytest.raises(ValidationError) as exc, django_capture_on_commit_callbacks(execute=True):
        _send(actors["cw_ost"], {ref["oslo"].pk: _plan(y), ref["baerum"].pk: _plan(y)}, y)
    assert error_codes(exc.value) == {"request_exists"}
    assert exc.value.message_dict["places"][0].startswith("Bærum: ")
    assert SettlementRequest.objects.count() == 1 and not RequestLetter.objects.exists() and not mail.outbox


def test_one_letter_for_a_request_registered_by_hand(ref, actors, contacts, today, django_capture_on_commit_callbacks):
    y = today.year + 1
    request = services.create_settlement_request(actors["cw_ost"], municipality=ref["oslo"], sent_on=today,
                                                 reply_deadline=today + timedelta(days=30), years={y: (5, 0)})
    tromso_request = services.create_settlement_request(actors["admin"], municipality=ref["tromso"], sent_on=today,
                                                        reply_deadline=today + timedelta(days=30), years={y: (5, 0)})
    with pytest.raises(PermissionDenied) as exc:
        services.send_request_letter(actors["cw_vest"], request)
    assert error_codes(exc.value) == {"other_region"}
    with pytest.raises(ValidationError) as exc:
        services.send_request_letter(actors["admin"], tromso_request)
    assert error_codes(exc.value) == {"no_recipient"}
    with django_capture_on_commit_callbacks(execute=True):
        services.send_request_letter(actors["cw_ost"], request)
    assert len(mail.outbox) == 1 and RequestLetter.objects.get(request=request).sent_at
    with pytest.raises(ValidationError) as exc:
        services.send_request_letter(actors["cw_ost"], request)
    assert error_codes(exc.value) == {"letter_exists"}
    assert RequestLetter.objects.count() == 1 and len(mail.outbox) == 1


# --- Reply status and the reminder ---------------------------------------------------------------------------

def test_reply_status_per_year_follows_the_decision(ref, actors, contacts, decide, today, django_capture_on_commit_callbacks):
    y = today.year
    with django_capture_on_commit_callbacks(execute=True):
        (request,) = _send(actors["cw_ost"], {ref["oslo"].pk: _plan(y, {y: (30, 3), y + 1: (20, 0), y + 2: (10, 0)})}, y)
    assert set(services.reply_statuses(request).values()) == {ReplyStatus.NOT_ANSWERED}
    decide(ref["oslo"], places=30, year=y)
    decide(ref["oslo"], places=15, year=y + 1)
    decide(ref["oslo"], places=12, year=y + 2)
    assert services.reply_statuses(request) == {y: ReplyStatus.SAME, y + 1: ReplyStatus.FEWER, y + 2: ReplyStatus.MORE}


def test_the_reply_deadline_reminder_goes_once(ref, actors, contacts, decide, today, django_capture_on_commit_callbacks):
    y = today.year + 1
    with django_capture_on_commit_callbacks(execute=True):
        baerum, oslo = _send(actors["cw_ost"], {ref["oslo"].pk: _plan(y), ref["baerum"].pk: _plan(y)}, y,
                             deadline=today + timedelta(days=10))
    mail.outbox.clear()
    assert tasks.remind_unanswered_requests() == 0  # before the deadline
    decide(ref["baerum"], places=20, year=y + 1)  # Bærum has answered (one of the years is enough)
    with time_machine.travel(today + timedelta(days=11)):
        assert tasks.remind_unanswered_requests() == 1
        assert tasks.remind_unanswered_requests() == 0  # once per request
    (reminder,) = mail.outbox
    assert reminder.to == ["kommunedirektor@oslo.kommune.no"] and "Påminnelse" in reminder.subject
    assert RequestLetter.objects.get(request=oslo).reminded_at is not None
    assert RequestLetter.objects.get(request=baerum).reminded_at is None


# --- Decisions registered by IMDi ----------------------------------------------------------------------------

def _register(actor, municipality, today, **kwargs):
    data = {"year": today.year, "places": 10, "decided_on": today - timedelta(days=3), "reference": "2026/1234"} | kwargs
    return services.record_decision(actor, municipality=municipality, **data)


def test_imdi_registers_a_decision_for_a_municipality(ref, actors, users, today):
    decision = _register(actors["cw_ost"], ref["oslo"], today, places=12)
    assert (decision.places, decision.reference, decision.registered_by_imdi, decision.registered_by) == (
        12, "2026/1234", True, users["cw_ost"])
    assert decision.decided_on == today - timedelta(days=3)
    # The national admin for any region; the municipality's own later change is its own, without IMDi's mark.
    bergen = _register(actors["admin"], ref["bergen"], today, places=7)
    assert bergen.registered_by_imdi
    own = services.record_decision(actors["oslo"], municipality=ref["oslo"], year=today.year, places=14, decided_on=today)
    assert (own.registered_by_imdi, own.reference, own.places) == (False, "", 14)
    assert [h.registered_by_imdi for h in own.history.order_by("history_date")] == [True, False]


def test_imdi_registration_is_scoped_and_keeps_the_rules(ref, actors, make_household, today):
    oslo = ref["oslo"]
    for actor, code in (("cw_vest", "other_region"), ("cw_nord", "other_region"), ("ministry", "other_municipality"),
                        ("bergen", "other_municipality"), ("oslo_read", "read_only")):
        with pytest.raises(PermissionDenied) as exc:
            _register(actors[actor], oslo, today)
        assert error_codes(exc.value) == {code}, actor
    assert not MunicipalDecision.objects.exists()

    for kwargs, codes in (({"reference": "  "}, {"reference_required"}), ({"reference": "x" * 61}, {"too_long"}),
                          ({"places": -1}, {"negative_count", "minors_exceed_places"}),
                          ({"places": 2, "unaccompanied_minors": 3}, {"minors_exceed_places"}),
                          ({"decided_on": today + timedelta(days=1)}, {"date_in_future"})):
        with pytest.raises(ValidationError) as exc:
            _register(actors["cw_ost"], oslo, today, **kwargs)
        assert error_codes(exc.value) == codes, kwargs
    assert not MunicipalDecision.objects.exists()

    _register(actors["cw_ost"], oslo, today, places=10)
    make_household(size=4, accepted=True, municipality=oslo)
    with pytest.raises(ValidationError) as exc:
        _register(actors["admin"], oslo, today, places=3)  # below the four already accepted
    assert error_codes(exc.value) == {"below_committed"}
    assert MunicipalDecision.objects.get().places == 10
