"""Partnership agreements: follow-up, reminders, roles, and settlement with and without an agreement."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from agreements import selectors, services
from agreements.models import ActionItem, AgreementType, AnnualStatusReport, FollowUpMeeting, ReminderLog
from agreements.tasks import send_agreement_reminders
from core.models import Agency
from settlement.tests import report_data


@pytest.fixture
def agreement(ref, actors, today):
    return services.create_agreement(
        actors["cw_ost"], title="Partnerskapsavtale Oslo", agreement_type=AgreementType.PARTNERSHIP, region=ref["ost"],
        start_date=date(today.year - 2, 1, 1), end_date=date(today.year + 1, 12, 31), purpose="Rask og jevn bosetting",
        municipalities=[ref["oslo"]], goals=["Bosette i tråd med vedtaket", " "],
        commitments=[("IMDi", "Nettverkssamlinger"), ("Oslo", "Tre års vedtak")],
    )


def test_create_agreement_rules(ref, actors, today):
    with pytest.raises(PermissionDenied):
        services.create_agreement(actors["cw_vest"], title="x", agreement_type=AgreementType.KINN, region=ref["ost"],
                                  start_date=today, end_date=today, purpose="x", municipalities=[ref["oslo"]])
    with pytest.raises(PermissionDenied):
        services.create_agreement(actors["oslo"], title="x", agreement_type=AgreementType.KINN, region=ref["ost"],
                                  start_date=today, end_date=today, purpose="x", municipalities=[ref["oslo"]])
    with pytest.raises(ValidationError, match="slutte før"):
        services.create_agreement(actors["admin"], title="x", agreement_type=AgreementType.KINN, region=ref["nord"],
                                  start_date=today, end_date=today - timedelta(days=1), purpose="x", municipalities=[ref["tromso"]])
    with pytest.raises(ValidationError, match="minst én"):
        services.create_agreement(actors["admin"], title="x", agreement_type=AgreementType.SECTOR, region=None,
                                  start_date=today, end_date=today, purpose="x")
    sector = services.create_agreement(actors["admin"], title="IMDi–UDI", agreement_type=AgreementType.SECTOR, region=None,
                                       start_date=today, end_date=today, purpose="x", agencies=[Agency.objects.get(code="udi")])
    assert list(sector.agencies.values_list("code", flat=True)) == ["udi"]


def test_follow_up_dashboard_finds_overdue_items_missed_reports_and_quiet_agreements(agreement, actors, today):
    late = services.add_action_item(actors["cw_ost"], agreement, title="Boligplan", owner="Oslo", due_date=today - timedelta(days=10))
    services.add_action_item(actors["cw_ost"], agreement, title="Samling", owner="IMDi", due_date=today + timedelta(days=10))
    done = services.add_action_item(actors["cw_ost"], agreement, title="Kartlegging", owner="Oslo", due_date=today - timedelta(days=40))
    services.complete_action_item(actors["oslo"], done)  # a municipality that is party marks its own item done
    agreements = selectors.agreements_for(actors["cw_ost"])
    assert [i.pk for i in selectors.overdue_action_items(agreements, today)] == [late.pk]

    # Reports: due 1 March the year after. Two past years, one delivered.
    services.submit_annual_report(actors["oslo"], agreement, year=today.year - 2, summary="God start")
    missed = selectors.missed_reports(agreements, today)
    expected_year = today.year - 1 if today > date(today.year, 3, 1) else None
    assert [(a.pk, y) for a, y in missed] == ([(agreement.pk, expected_year)] if expected_year else [])
    assert [a.pk for a in selectors.without_recent_meeting(agreements, today)] == [agreement.pk]
    services.record_meeting(actors["cw_ost"], agreement, held_on=today - timedelta(days=3), minutes="Status bosetting")
    assert not selectors.without_recent_meeting(agreements, today).exists()

    page = Client()
    page.force_login(actors["cw_ost"].user)
    body = page.get(reverse("agreements:follow_up")).content.decode()
    assert 'data-testid="overdue-count">1<' in body and "Boligplan" in body and "Kartlegging" not in body


def test_follow_up_rules(agreement, actors, ref, today):
    with pytest.raises(ValidationError, match="avtaleperioden"):
        services.add_action_item(actors["cw_ost"], agreement, title="x", owner="IMDi", due_date=date(today.year + 5, 1, 1))
    with pytest.raises(PermissionDenied):
        services.add_action_item(actors["cw_vest"], agreement, title="x", owner="IMDi", due_date=today)
    item = services.add_action_item(actors["cw_ost"], agreement, title="x", owner="IMDi", due_date=today)
    with pytest.raises(PermissionDenied):
        services.complete_action_item(actors["bergen"], item)
    with pytest.raises(PermissionDenied):
        services.complete_action_item(actors["oslo_read"], item)
    with pytest.raises(ValidationError, match="møte som er holdt"):
        services.record_meeting(actors["cw_ost"], agreement, held_on=today + timedelta(days=1), minutes="x")
    with pytest.raises(ValidationError, match="ikke har begynt"):
        services.submit_annual_report(actors["oslo"], agreement, year=today.year + 1, summary="x")
    services.submit_annual_report(actors["oslo"], agreement, year=today.year - 1, summary="Levert")
    with pytest.raises(ValidationError, match="allerede levert"):
        services.submit_annual_report(actors["cw_ost"], agreement, year=today.year - 1, summary="Igjen")
    assert AnnualStatusReport.objects.count() == 1


def test_reminders_are_sent_once_a_day(agreement, actors, users, today):
    item = services.add_action_item(actors["cw_ost"], agreement, title="Boligplan", owner="Oslo",
                                    due_date=today - timedelta(days=5), responsible=users["oslo"])
    result = send_agreement_reminders()
    assert result["action_items"] == 1
    reminder = next(m for m in mail.outbox if "Boligplan" in m.subject)
    assert reminder.to == ["oslo@example.no"]
    assert send_agreement_reminders()["action_items"] == 0  # the same day: nothing twice
    assert ReminderLog.objects.filter(kind="action_item", object_key=str(item.pk)).count() == 1
    if result["annual_reports"]:
        report_mail = next(m for m in mail.outbox if m.subject.startswith("Årsrapport mangler"))
        assert report_mail.to == ["cw_ost@example.no"]  # the region's caseworkers


def test_settlement_with_and_without_agreement(db, actors):
    m = report_data.build()  # Oslo 3 settled of 10 decided (12 requested); Bergen 4/5 (5); Tromsø 3/4 (3); Bærum 6 requested
    services.create_agreement(actors["admin"], title="KINN Tromsø", agreement_type=AgreementType.KINN,
                              region=m["1902"].region, start_date=date(2024, 1, 1), end_date=date(2026, 12, 31), purpose="x",
                              municipalities=[m["1902"], m["0301"]])
    services.create_agreement(actors["admin"], title="Gammel avtale", agreement_type=AgreementType.COOPERATION,
                              region=m["1201"].region, start_date=date(2020, 1, 1), end_date=date(2023, 12, 31), purpose="x",
                              municipalities=[m["1201"]])
    with_, without = selectors.settlement_by_agreement(2025)
    assert (with_.municipalities, with_.requested, with_.decided, with_.settled) == (2, 15, 14, 7)  # H10 settled in July counts
    assert (without.requested, without.decided, without.settled) == (11, 5, 4)
    assert (with_.decided_share_of_requested, with_.settled_share_of_decided) == (93.3, 50.0)
    assert with_.settled_per_1000 == round(1000 * 7 / (m["1902"].population + m["0301"].population), 2)


def test_agreement_pages_and_scope(agreement, users, actors, today):
    oslo, bergen = Client(), Client()
    oslo.force_login(users["oslo"])
    bergen.force_login(users["bergen"])
    assert oslo.get(reverse("agreements:detail", args=[agreement.pk])).status_code == 200
    assert bergen.get(reverse("agreements:detail", args=[agreement.pk])).status_code == 404
    assert bergen.get(reverse("agreements:follow_up")).status_code == 403
    cw = Client()
    cw.force_login(users["cw_ost"])
    response = cw.post(reverse("agreements:detail", args=[agreement.pk]), {
        "action": "item", "title": "Ny boligplan", "owner": "Oslo", "due_date": (today + timedelta(days=3650)).isoformat()})
    assert response.status_code == 400 and "avtaleperioden" in response.content.decode()
    assert "Ny boligplan" in response.content.decode()
    assert not ActionItem.objects.exists()
    response = cw.post(reverse("agreements:detail", args=[agreement.pk]), {
        "action": "meeting", "held_on": today.isoformat(), "participants": "IMDi, Oslo", "minutes": "Gjennomgang"})
    assert response.status_code == 302 and FollowUpMeeting.objects.count() == 1
    ministry = Client()
    ministry.force_login(users["ministry"])
    assert ministry.get(reverse("agreements:comparison")).status_code == 200
