"""Agreement services: who may create and follow up an agreement, the rules on dates and texts, and reminders.
Refusals are checked by code. The date is pinned to 16 June 2025 (conftest)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements import services
from agreements.models import AgreementType, AnnualStatusReport, ReminderLog
from core.errors import error_codes
from core.models import Agency


def _refused(error, call, *args, **kwargs) -> set[str]:
    with pytest.raises(error) as exc:
        call(*args, **kwargs)
    return error_codes(exc.value)


def _create(actor, **overrides):
    kwargs = {"title": "x", "agreement_type": AgreementType.KINN, "region": None, "start_date": date(2025, 1, 1),
              "end_date": date(2025, 12, 31), "purpose": "x"} | overrides
    return services.create_agreement(actor, **kwargs)


def test_create_agreement_rules(ref, actors):
    oslo = {"region": ref["ost"], "municipalities": [ref["oslo"]]}
    assert _refused(PermissionDenied, _create, actors["cw_vest"], **oslo) == {"other_region"}
    assert _refused(PermissionDenied, _create, actors["oslo"], **oslo) == {"role_not_allowed"}
    assert _refused(ValidationError, _create, actors["admin"], region=ref["nord"], municipalities=[ref["tromso"]],
                    end_date=date(2024, 12, 31)) == {"ends_before_start"}
    assert _refused(ValidationError, _create, actors["admin"], agreement_type=AgreementType.SECTOR) == {"no_party"}
    sector = _create(actors["admin"], title="IMDi–UDI", agreement_type=AgreementType.SECTOR, agencies=[Agency.objects.get(code="udi")])
    assert list(sector.agencies.values_list("code", flat=True)) == ["udi"]


def test_created_agreement_keeps_its_goals_and_commitments(agreement):
    assert list(agreement.goals.values_list("text", flat=True)) == ["Bosette i tråd med vedtaket"]
    assert list(agreement.commitments.values_list("party", "text")) == [("IMDi", "Nettverkssamlinger"), ("Oslo", "Tre års vedtak")]


def test_action_item_rules(agreement, actors, today):
    add = services.add_action_item
    assert _refused(ValidationError, add, actors["cw_ost"], agreement, title="x", owner="IMDi",
                    due_date=date(2030, 1, 1)) == {"due_date_outside_agreement"}
    assert _refused(ValidationError, add, actors["cw_ost"], agreement, title=" ", owner="IMDi", due_date=today) == {"title_required"}
    assert _refused(PermissionDenied, add, actors["cw_vest"], agreement, title="x", owner="IMDi", due_date=today) == {"other_region"}
    item = add(actors["cw_ost"], agreement, title="x", owner="IMDi", due_date=today)
    complete = services.complete_action_item
    assert _refused(PermissionDenied, complete, actors["bergen"], item) == {"not_party"}
    assert _refused(PermissionDenied, complete, actors["oslo_read"], item) == {"read_only"}
    assert _refused(ValidationError, complete, actors["oslo"], item, done_on=today + timedelta(days=1)) == {"date_in_future"}
    complete(actors["oslo"], item)  # a municipality that is party marks its own item done
    assert _refused(ValidationError, complete, actors["cw_ost"], item) == {"already_completed"}
    item.refresh_from_db()
    assert [(h.done_on, h.history_user.username) for h in item.history.order_by("history_date")] == [
        (None, "cw_ost"), (today, "oslo")]


def test_meeting_rules(agreement, actors, today):
    record = services.record_meeting
    topic = {"topics": ["settlement"]}
    assert _refused(ValidationError, record, actors["cw_ost"], agreement, held_on=today + timedelta(days=1),
                    minutes="x", **topic) == {"meeting_not_held"}
    assert _refused(ValidationError, record, actors["cw_ost"], agreement, held_on=today, minutes=" ", **topic) == {"minutes_required"}
    assert _refused(PermissionDenied, record, actors["oslo"], agreement, held_on=today, minutes="x", **topic) == {"role_not_allowed"}
    # Set topics: at least one, and only the known ones.
    assert _refused(ValidationError, record, actors["cw_ost"], agreement, held_on=today, minutes="x") == {"topics_required"}
    assert _refused(ValidationError, record, actors["cw_ost"], agreement, held_on=today, minutes="x",
                    topics=["settlement", "weather"]) == {"unknown_topic"}
    assert not agreement.meetings.exists()
    meeting = record(actors["cw_ost"], agreement, held_on=today, minutes="x", topics=["qualification", "settlement", "settlement"])
    assert meeting.topics == ["settlement", "qualification"]  # each once, in the set order


def test_annual_report_rules(agreement, actors):
    submit = services.submit_annual_report
    assert _refused(ValidationError, submit, actors["oslo"], agreement, year=2022, summary="x") == {"year_outside_agreement"}
    assert _refused(ValidationError, submit, actors["oslo"], agreement, year=2026, summary="x") == {"year_not_started"}
    assert _refused(ValidationError, submit, actors["oslo"], agreement, year=2024, summary=" ") == {"summary_required"}
    submit(actors["oslo"], agreement, year=2024, summary="Levert")
    assert _refused(ValidationError, submit, actors["cw_ost"], agreement, year=2024, summary="Igjen") == {"report_already_submitted"}
    assert AnnualStatusReport.objects.count() == 1


def test_reminder_is_recorded_once_a_day_with_history(db, today):
    first = services.record_reminder(None, kind="action_item", object_key="7", recipients=["a@example.no", "b@example.no"],
                                     sent_on=today)
    assert services.record_reminder(None, kind="action_item", object_key="7", recipients=["a@example.no"], sent_on=today) is None
    assert services.record_reminder(None, kind="action_item", object_key="7", recipients=["a@example.no"],
                                    sent_on=today + timedelta(days=7)) is not None
    assert ReminderLog.objects.get(pk=first.pk).recipients == "a@example.no,b@example.no"
    history = first.history.get()
    assert (history.history_type, history.history_user) == ("+", None)  # written by the system


def test_only_imdi_records_a_reminder_by_hand(actors, today):
    assert _refused(PermissionDenied, services.record_reminder, actors["oslo"], kind="x", object_key="1", recipients=[],
                    sent_on=today) == {"role_not_allowed"}
