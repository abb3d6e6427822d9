"""Issue 12: decision letters only for approved claims of ended quarters (PDF kept with its checksum, e-mailed once);
overdue grantee reports reminded once per month; the NIR participation record as the Norwegian grant's basis; and
households that settle on their own produce claims for their municipality."""

import hashlib
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from core.errors import error_codes
from grants import services
from grants.entitlements import NORWEGIAN, compute_entitlements
from grants.models import DecisionLetter, GrantClaim, GrantYear, ParticipationRecord, RateKind, ReportReminder, TrainingHours
from grants.tasks import remind_overdue_reports
from settlement.models import ExitReason, HouseholdStatus, Person

from .factories import ApplicationFactory, settle

D = Decimal


def refused(exc_type, call, *args, **kwargs) -> set[str]:
    with pytest.raises(exc_type) as info:
        call(*args, **kwargs)
    return error_codes(info.value)


# --- Decision letters ---------------------------------------------------------------------------


@pytest.fixture
def approved(schemes, ref, actors):
    settle(ref, date(2025, 4, 2))
    services.build_claims(2025, 2)
    return services.approve_claim(actors["admin"], GrantClaim.objects.get(municipality=ref["oslo"], year=2025, quarter=2))


def test_letter_is_made_kept_and_mailed_once(approved, actors, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        letter = services.send_decision_letter(actors["cw_ost"], approved)
    letter.refresh_from_db()
    pdf = bytes(letter.pdf)
    assert pdf.startswith(b"%PDF") and letter.checksum == hashlib.sha256(pdf).hexdigest()
    assert (letter.recipient, letter.total, letter.sent_at is not None) == ("postmottak@oslo.kommune.no", D("260000"), True)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["postmottak@oslo.kommune.no"] and letter.checksum in message.body
    assert message.attachments[0][0] == "vedtaksbrev-0301-2025-K2.pdf" and message.attachments[0][1] == pdf
    # Regenerable: the same claim on the same day gives the same bytes (reportlab's invariant mode).
    assert services.decision_letter_pdf(approved, today=letter.created_at.date()) == pdf
    # A retried job sends nothing more.
    assert services.mark_letter_sent(letter.pk) is None
    from grants.tasks import email_decision_letter
    assert email_decision_letter(letter.pk) is False and len(mail.outbox) == 1


def test_no_letter_for_a_claim_not_approved_or_a_quarter_not_ended(schemes, ref, actors):
    settle(ref, date(2025, 4, 2))
    settle(ref, date(2026, 1, 10))
    services.build_claims(2025, 2)
    services.build_claims(2026, 1)  # today is 16.03.2026: the quarter is not over
    calculated = GrantClaim.objects.get(year=2025, quarter=2)
    assert refused(ValidationError, services.send_decision_letter, actors["admin"], calculated) == {"claim_not_approved"}
    running = services.approve_claim(actors["admin"], GrantClaim.objects.get(year=2026, quarter=1))
    assert refused(ValidationError, services.send_decision_letter, actors["admin"], running) == {"quarter_not_ended"}
    assert refused(ValidationError, services.decision_letter_pdf, running) == {"quarter_not_ended"}
    assert DecisionLetter.objects.count() == 0 and len(mail.outbox) == 0


def test_who_may_send_a_letter_and_a_municipality_without_an_address(approved, actors, ref):
    for who, code in (("cw_vest", "other_region"), ("oslo", "role_not_allowed"), ("ministry", "role_not_allowed")):
        assert refused(PermissionDenied, services.send_decision_letter, actors[who], approved) == {code}
    ref["oslo"].__class__.objects.filter(pk=ref["oslo"].pk).update(email="")
    assert refused(ValidationError, services.send_decision_letter, actors["admin"], approved) == {"no_recipient"}
    assert DecisionLetter.objects.count() == 0


# --- Overdue grantee reports ---------------------------------------------------------------------


@pytest.fixture
def overdue(jobbsjansen, ref):
    GrantYear.objects.filter(pk=jobbsjansen.pk).update(report_deadline=date(2026, 3, 1))
    return ApplicationFactory(grant_year=jobbsjansen, municipality=ref["oslo"], paid=True)


def test_overdue_reports_are_reminded_once_a_month(overdue, jobbsjansen, ref, time_machine):
    ApplicationFactory(grant_year=jobbsjansen, municipality=ref["bergen"], reported=True)  # reported: not overdue
    ApplicationFactory(grant_year=jobbsjansen, municipality=ref["bergen"], granted=True)  # not paid yet
    assert remind_overdue_reports() == 1
    assert remind_overdue_reports() == 0  # the same month: nothing more
    assert [(r.application_id, r.period, r.recipient) for r in ReportReminder.objects.all()] == [
        (overdue.pk, date(2026, 3, 1), "postmottak@oslo.kommune.no")]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["postmottak@oslo.kommune.no"]
    time_machine.move_to(datetime(2026, 4, 2, 8, tzinfo=ZoneInfo("Europe/Oslo")))
    assert remind_overdue_reports() == 1 and ReportReminder.objects.count() == 2
    assert ReportReminder.history.count() == 2  # kept with history


def test_who_may_remind_and_what_is_not_overdue(overdue, jobbsjansen, actors, ref):
    for who, code in (("cw_vest", "other_region"), ("oslo", "role_not_allowed"), ("ministry", "role_not_allowed")):
        assert refused(PermissionDenied, services.remind_overdue_report, actors[who], overdue) == {code}
    organisation = ApplicationFactory(grant_year=jobbsjansen, paid=True)
    assert refused(PermissionDenied, services.remind_overdue_report, actors["cw_ost"], organisation) == {"role_not_allowed"}
    assert services.remind_overdue_report(actors["admin"], organisation).period == date(2026, 3, 1)
    granted = ApplicationFactory(grant_year=jobbsjansen, municipality=ref["oslo"], granted=True)
    assert refused(ValidationError, services.remind_overdue_report, actors["cw_ost"], granted) == {"report_not_overdue"}
    GrantYear.objects.filter(pk=jobbsjansen.pk).update(report_deadline=date(2026, 3, 16))  # due today: not yet overdue
    assert refused(ValidationError, services.remind_overdue_report, actors["cw_ost"], overdue) == {"report_not_overdue"}
    assert ReportReminder.objects.count() == 1


# --- NIR and the Norwegian grant -------------------------------------------------------------------


def norwegian(year, quarter, municipality):
    return [(l.person_id, l.rate_kind, l.amount) for l in compute_entitlements(year, quarter).get(municipality.pk, [])
            if l.scheme_code == NORWEGIAN]


def test_norwegian_grant_follows_nir_participation_not_settlement_alone(schemes, ref):
    without = settle(ref, date(2025, 4, 2), nir=False).persons.get()
    hours = settle(ref, date(2025, 4, 3), nir=False).persons.get()
    record = ParticipationRecord.objects.create(person=hours)
    TrainingHours.objects.create(record=record, year=2025, quarter=2, hours=0)  # zero hours is no participation
    TrainingHours.objects.create(record=record, year=2025, quarter=3, hours=120)
    early = settle(ref, date(2025, 4, 4), nir=False).persons.get()
    ParticipationRecord.objects.create(person=early, programme_start=date(2025, 4, 4))
    TrainingHours.objects.create(record=early.nir, year=2025, quarter=4, hours=90)  # the programme started first
    assert norwegian(2025, 2, ref["oslo"]) == [(early.pk, RateKind.NORWEGIAN_PER_PERSON, D("60000"))]
    assert norwegian(2025, 3, ref["oslo"]) == [(hours.pk, RateKind.NORWEGIAN_PER_PERSON, D("60000"))]
    assert norwegian(2025, 4, ref["oslo"]) == []  # two started this year: no base grant
    assert without.pk not in {p for p, *_ in norwegian(2025, 2, ref["oslo"]) + norwegian(2025, 3, ref["oslo"])}
    # Participation starting after the five years brings nothing; before settlement, it counts from settlement.
    late = settle(ref, date(2021, 2, 1), nir=False).persons.get()
    ParticipationRecord.objects.create(person=late, programme_start=date(2026, 1, 5))
    assert late.pk not in {p for p, *_ in norwegian(2026, 1, ref["oslo"])}


def test_base_grant_counts_persons_starting_in_the_year(schemes, ref):
    for day in (date(2025, 2, 1), date(2025, 5, 1), date(2025, 8, 1)):
        settle(ref, day)
    fourth = settle(ref, date(2024, 11, 1), nir=False).persons.get()  # settled 2024, starts training in 2025 Q4
    ParticipationRecord.objects.create(person=fourth)
    TrainingHours.objects.create(record=fourth.nir, year=2025, quarter=4, hours=40)
    assert norwegian(2025, 4, ref["oslo"]) == [(fourth.pk, RateKind.NORWEGIAN_PER_PERSON, D("60000")),
                                               (None, RateKind.NORWEGIAN_BASE, D("500000"))]


def test_recording_participation_roles_bounds_and_nothing_changed(schemes, ref, actors):
    person = settle(ref, date(2025, 4, 2), nir=False).persons.get()
    start = {"programme_start": date(2025, 5, 1)}
    for who, code in (("bergen", "other_municipality"), ("oslo_read", "read_only"), ("cw_vest", "other_region"),
                      ("ministry", "role_not_allowed")):
        assert refused(PermissionDenied, services.record_participation, actors[who], person, **start) == {code}, who
    bad = [({"programme_start": date(2025, 4, 1)}, "date_out_of_range"),  # before settlement
           ({"programme_start": date(2026, 3, 17)}, "date_out_of_range"),  # after today
           ({"programme_start": date(2025, 5, 1), "programme_end": date(2025, 4, 30)}, "end_before_start"),
           ({"programme_start": date(2025, 5, 1), "programme_end": date(2028, 5, 3)}, "programme_too_long"),
           ({"programme_start": None, "programme_end": date(2025, 6, 1)}, "start_required")]
    for kwargs, code in bad:
        assert refused(ValidationError, services.record_participation, actors["oslo"], person, **kwargs) == {code}, kwargs
    hours_bad = [((2025, 5, 10), "invalid_quarter"), ((2025, 1, 10), "period_out_of_range"), ((2026, 2, 10), "period_out_of_range"),
                 ((2025, 3, 601), "count_out_of_range"), ((2025, 3, -1), "count_out_of_range")]
    for (year, quarter, hours), code in hours_bad:
        assert refused(ValidationError, services.record_training_hours, actors["oslo"], person, year=year, quarter=quarter,
                       hours=hours) == {code}, (year, quarter, hours)
    assert refused(ValidationError, services.record_training_hours, actors["oslo"], person, year=2025, quarter=3,
                   hours=None) == {"hours_required"}
    assert not ParticipationRecord.objects.exists() and not TrainingHours.objects.exists()
    record = services.record_participation(actors["oslo"], person, programme_start=date(2025, 5, 1), programme_end=date(2027, 4, 30))
    assert (record.programme_start, record.history.first().history_user) == (date(2025, 5, 1), actors["oslo"].user)
    services.record_training_hours(actors["cw_ost"], person, year=2025, quarter=3, hours=150)
    row = services.record_training_hours(actors["oslo"], person, year=2025, quarter=3, hours=140)  # replaces the figure
    assert list(TrainingHours.objects.values_list("year", "quarter", "hours")) == [(2025, 3, 140)] and row.history.count() == 2


def test_participation_only_for_settled_persons(schemes, ref, actors, make_household):
    waiting = make_household().persons.first()  # settlement-ready in Råde mottak, not settled
    assert refused(ValidationError, services.record_participation, actors["admin"], waiting,
                   programme_start=date(2026, 1, 5)) == {"person_not_settled"}


# --- Households that settle on their own ---------------------------------------------------------


def test_a_household_settled_on_its_own_claims_for_its_municipality(schemes, ref):
    own = settle(ref, date(2025, 4, 2), nir=False)
    Person.objects.filter(household=own).update(settled_on=None)
    own.__class__.objects.filter(pk=own.pk).update(status=HouseholdStatus.EXITED, exit_reason=ExitReason.SETTLED_ON_OWN,
                                                   exited_on=date(2025, 5, 20), settled_on=None)
    withdrawn = settle(ref, date(2025, 4, 2), nir=False)
    Person.objects.filter(household=withdrawn).update(settled_on=None)
    withdrawn.__class__.objects.filter(pk=withdrawn.pk).update(status=HouseholdStatus.EXITED, exit_reason=ExitReason.WITHDRAWN,
                                                               exited_on=date(2025, 5, 20), settled_on=None)
    lines = compute_entitlements(2025, 2)[ref["oslo"].pk]
    assert [(l.person_id, l.amount, l.description) for l in lines] == [
        (own.persons.get().pk, D("200000"), "Integreringstilskudd år 1 (bosatt 20.05.2025)")]
    assert sum(l.amount for l in compute_entitlements(2026, 1)[ref["oslo"].pk]) == D("25000.00")  # year 2 follows
    # Without a municipality (where it settled is not known) there is nothing to claim.
    own.__class__.objects.filter(pk=own.pk).update(municipality=None, settlement_year=None)
    assert ref["oslo"].pk not in compute_entitlements(2025, 2)


def test_imdi_registers_where_a_self_settled_household_lives(schemes, ref, actors, users, login):
    from django.urls import reverse

    from settlement.models import EventKind, Household

    own = settle(ref, date(2025, 3, 1), nir=False)
    Person.objects.filter(household=own).update(settled_on=None)
    Household.objects.filter(pk=own.pk).update(status=HouseholdStatus.EXITED, exit_reason=ExitReason.SETTLED_ON_OWN,
                                               exited_on=date(2025, 5, 20), settled_on=None, municipality=None, settlement_year=None)
    withdrawn = settle(ref, date(2025, 3, 1), nir=False)
    Household.objects.filter(pk=withdrawn.pk).update(status=HouseholdStatus.EXITED, exit_reason=ExitReason.WITHDRAWN,
                                                     exited_on=date(2025, 5, 20), municipality=None, settlement_year=None)
    assert ref["oslo"].pk not in compute_entitlements(2025, 2)
    before = list(Household.objects.order_by("pk").values_list("pk", "municipality_id"))
    for who, code in (("cw_vest", "other_region"), ("oslo", "role_not_allowed"), ("ministry", "role_not_allowed")):
        assert refused(PermissionDenied, services.register_self_settlement, actors[who], own, municipality=ref["oslo"]) == {code}
    assert refused(ValidationError, services.register_self_settlement, actors["cw_ost"], withdrawn,
                   municipality=ref["oslo"]) == {"not_self_settled"}
    gone = ref["oslo"].__class__.objects.exclude(valid_to__isnull=True).filter(valid_to__lte=date(2025, 5, 20)).first()
    assert refused(ValidationError, services.register_self_settlement, actors["cw_ost"], own, municipality=gone) == {"invalid_municipality"}
    assert list(Household.objects.order_by("pk").values_list("pk", "municipality_id")) == before
    # Through the page: the caseworker of the region records Oslo; the household's grants go there.
    cw = login(users["cw_ost"])
    url = reverse("grants:self_settled")
    assert [h.pk for h in cw.get(url).context["households"]] == [own.pk]
    assert cw.post(url, {"household": own.pk, "municipality": ""}).status_code == 400
    assert cw.post(url, {"household": own.pk, "municipality": ref["oslo"].pk}).status_code == 302
    own.refresh_from_db()
    assert (own.municipality, own.settlement_year) == (ref["oslo"], 2025)
    assert own.events.filter(kind=EventKind.EXITED, municipality=ref["oslo"]).exists()
    assert [(l.person_id, l.amount) for l in compute_entitlements(2025, 2)[ref["oslo"].pk]] == [(own.persons.get().pk, D("200000"))]
    assert refused(ValidationError, services.register_self_settlement, actors["cw_ost"], own, municipality=ref["oslo"]) == {"unchanged"}
    assert login(users["oslo"]).get(url).status_code == 403
