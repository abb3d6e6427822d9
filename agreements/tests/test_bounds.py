"""Sane bounds (issue 9): a meeting before its agreement started, dates past what Python's dates can hold and
text longer than its column are refused by the services with a code (they gave a 500 or were stored)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from agreements import services
from agreements.models import AgreementType, FollowUpMeeting, PartnershipAgreement
from core.errors import error_codes


def codes(call) -> set[str]:
    with pytest.raises(ValidationError) as exc:
        call()
    return error_codes(exc.value)


def create(actors, ref, **kw):
    args = {"title": "Avtale", "agreement_type": AgreementType.PARTNERSHIP, "region": ref["ost"],
            "start_date": date(2024, 1, 1), "end_date": date(2026, 12, 31), "purpose": "Bosetting",
            "municipalities": [ref["oslo"]], **kw}
    return services.create_agreement(actors["cw_ost"], **args)


def test_meeting_before_the_agreement_started_is_refused(actors, agreement):
    call = lambda: services.record_meeting(actors["cw_ost"], agreement, held_on=date(2022, 12, 31), minutes="Møte", topics=["settlement"])  # noqa: E731
    assert codes(call) == {"meeting_before_agreement"}
    assert services.record_meeting(actors["cw_ost"], agreement, held_on=date(2023, 1, 1), minutes="Møte", topics=["settlement"]).pk


def test_overlong_text_is_a_coded_error_not_a_database_error(actors, ref, agreement):
    assert codes(lambda: create(actors, ref, title="x" * 201)) == {"too_long"}
    assert codes(lambda: create(actors, ref, signed_by="x" * 201)) == {"too_long"}
    assert codes(lambda: create(actors, ref, goals=["x" * 301])) == {"too_long"}
    assert codes(lambda: services.record_meeting(actors["cw_ost"], agreement, held_on=date(2024, 1, 1), minutes="M", topics=["settlement"],
                                                 participants="x" * 301)) == {"too_long"}
    assert codes(lambda: services.add_action_item(actors["cw_ost"], agreement, title="Tiltak", owner="x" * 121,
                                                  due_date=date(2025, 1, 1))) == {"too_long"}
    # A party named after many municipalities is cut to its column, not refused.
    long_party = create(actors, ref, commitments=[("Kommune, " * 40, "Bosette")])
    assert len(long_party.commitments.get().party) == 120


def test_agreement_dates_within_2000_and_2100(actors, ref):
    assert codes(lambda: create(actors, ref, start_date=date(1, 1, 1))) == {"date_out_of_range"}
    assert codes(lambda: create(actors, ref, end_date=date(9999, 12, 31))) == {"date_out_of_range"}
    agreement = create(actors, ref)
    with pytest.raises(IntegrityError), transaction.atomic():
        PartnershipAgreement.objects.filter(pk=agreement.pk).update(end_date=date(9999, 12, 31))
    with pytest.raises(IntegrityError), transaction.atomic():
        FollowUpMeeting.objects.create(agreement=agreement, held_on=date(1, 1, 1), minutes="M")


def test_the_web_form_refuses_overlong_participants(client_for, agreement):
    response = client_for("cw_ost").post(f"/avtaler/{agreement.pk}/", {
        "action": "meeting", "held_on": "2025-01-01", "minutes": "M", "participants": "x" * 301})
    assert response.status_code == 400
    assert not agreement.meetings.exists()
