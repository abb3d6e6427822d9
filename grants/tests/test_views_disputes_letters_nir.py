"""Issue 12 pages: a municipality disputes a line, the caseworker corrects and recomputes; the forecast warnings; the
letter button and its refusal; overdue reports and reminders; the NIR page. Bad input is a 400 and changes nothing."""

from datetime import date
from decimal import Decimal

from django.core import mail
from django.urls import reverse

from grants import services
from grants.entitlements import INTEGRATION
from grants.models import ClaimDispute, DecisionLetter, GrantClaim, GrantYear, ParticipationRecord, ReportReminder, TrainingHours

from .factories import ApplicationFactory, settle

D = Decimal


def test_dispute_and_recompute_through_the_pages(schemes, ref, users, login):
    settle(ref, date(2024, 5, 10))
    b = settle(ref, date(2025, 4, 2)).persons.get()
    services.build_claims(2025, 2)
    claim = GrantClaim.objects.get(municipality=ref["oslo"])
    line = claim.lines.get(person=b, scheme__code=INTEGRATION)
    oslo, cw, cw_vest = login(users["oslo"]), login(users["cw_ost"]), login(users["cw_vest"])
    url = reverse("grants:dispute_new", args=[claim.pk, line.pk])
    assert reverse("grants:dispute_new", args=[claim.pk, line.pk]) in oslo.get(reverse("grants:claim", args=[claim.pk])).content.decode()
    assert login(users["oslo_read"]).get(url).status_code == 403
    empty = oslo.post(url, {"reason": "  "})
    assert empty.status_code == 400 and empty.context["form"].has_error("reason") and not ClaimDispute.objects.exists()
    assert oslo.post(url, {"reason": "Bosatt 01.07.2025."}).status_code == 302
    dispute = ClaimDispute.objects.get()
    page = reverse("grants:dispute", args=[dispute.pk])
    assert set(cw.get(page).context["forms"]) == {"resolve", "reject"}
    assert oslo.get(page).context["forms"] == {}
    assert cw_vest.get(page).status_code == 404
    assert [d.pk for d in cw.get(reverse("grants:disputes")).context["disputes"]] == [dispute.pk]
    bad = cw.post(page, {"action": "resolve", "corrected_settled_on": "2026-12-01", "resolution": "Rettet."})
    assert bad.status_code == 400 and bad.context["forms"]["resolve"].has_error("corrected_settled_on", "date_in_future")
    assert GrantClaim.objects.count() == 1 and ClaimDispute.objects.get().status == "open"
    done = cw.post(page, {"action": "resolve", "corrected_settled_on": "2025-07-01", "resolution": "Rettet."})
    new = GrantClaim.objects.get(version=2)
    assert done.url == reverse("grants:claim", args=[new.pk])
    detail = cw.get(done.url)
    assert detail.context["claim"].total == D("25000.00") and "25\xa0000,00" in detail.content.decode()
    old = cw.get(reverse("grants:claim", args=[claim.pk]))
    assert old.context["actions"] == set() and "er erstattet og kan bare leses" in old.content.decode()


def test_forecast_warnings_on_the_schemes_and_claim_pages(schemes, ref, users, login, actors):
    settle(ref, date(2024, 5, 10))  # 2025: four year-2 parts of 25,000.00
    settle(ref, date(2025, 4, 2))
    services.build_claims(2025, 2)
    services.approve_claim(actors["admin"], GrantClaim.objects.get())
    GrantYear.objects.filter(scheme__code=INTEGRATION, year=2025).update(budget=D("250000"))
    page = login(users["cw_ost"]).get(reverse("grants:schemes"), {"year": 2025})
    integration = next(gy for gy in page.context["years"] if gy.scheme.code == INTEGRATION)
    # Approved: Q2 (200,000 + 25,000); projected: Q1, Q3, Q4 parts of 25,000.00 each.
    assert (integration.committed, integration.projected, integration.forecast, integration.over) == (
        D("225000.00"), D("75000.00"), D("300000.00"), D("50000.00"))
    assert "50\xa0000 over bevilgningen" in page.content.decode()
    claim_page = login(users["cw_ost"]).get(reverse("grants:claim", args=[GrantClaim.objects.get().pk]))
    assert [gy.scheme.code for gy in claim_page.context["warnings"]] == [INTEGRATION]
    assert login(users["oslo"]).get(reverse("grants:claim", args=[GrantClaim.objects.get().pk])).context["warnings"] == []


def test_letter_button_refusal_and_sending(schemes, ref, users, login, actors, django_capture_on_commit_callbacks):
    settle(ref, date(2025, 4, 2))
    services.build_claims(2025, 2)
    claim = GrantClaim.objects.get()
    cw = login(users["cw_ost"])
    page = cw.get(reverse("grants:claim", args=[claim.pk]))
    assert (page.context["can_send_letter"], page.context["letter_refusal"]) == (False, "Vedtaksbrev lages bare for godkjente krav.")
    assert "disabled" in page.content.decode()
    refused = cw.post(reverse("grants:claim_letter", args=[claim.pk]))
    assert refused.status_code == 302 and not DecisionLetter.objects.exists()
    services.approve_claim(actors["admin"], claim)
    assert cw.get(reverse("grants:claim", args=[claim.pk])).context["can_send_letter"] is True
    assert login(users["cw_vest"]).post(reverse("grants:claim_letter", args=[claim.pk])).status_code == 404
    assert login(users["oslo"]).post(reverse("grants:claim_letter", args=[claim.pk])).status_code == 403
    with django_capture_on_commit_callbacks(execute=True):
        assert cw.post(reverse("grants:claim_letter", args=[claim.pk])).status_code == 302
    letter = DecisionLetter.objects.get()
    assert letter.sent_at is not None and len(mail.outbox) == 1
    kept = login(users["oslo"]).get(reverse("grants:claim_letter", args=[claim.pk]))
    assert kept["Content-Type"] == "application/pdf" and kept.content == bytes(letter.pdf)


def test_overdue_reports_page_and_reminder(jobbsjansen, ref, users, login):
    GrantYear.objects.filter(pk=jobbsjansen.pk).update(report_deadline=date(2026, 3, 1))
    oslo_app = ApplicationFactory(grant_year=jobbsjansen, municipality=ref["oslo"], paid=True)
    bergen_app = ApplicationFactory(grant_year=jobbsjansen, municipality=ref["bergen"], paid=True)
    cw = login(users["cw_ost"])
    assert [a.pk for a in cw.get(reverse("grants:overdue_reports")).context["applications"]] == [oslo_app.pk]
    assert {a.pk for a in login(users["admin"]).get(reverse("grants:overdue_reports")).context["applications"]} == {oslo_app.pk, bergen_app.pk}
    assert login(users["oslo"]).get(reverse("grants:overdue_reports")).status_code == 403
    assert cw.post(reverse("grants:overdue_reports"), {"application": "x"}).status_code == 400
    assert cw.post(reverse("grants:overdue_reports"), {"application": bergen_app.pk}).status_code == 404  # another region
    assert not ReportReminder.objects.exists()
    assert cw.post(reverse("grants:overdue_reports"), {"application": oslo_app.pk}).status_code == 302
    assert cw.post(reverse("grants:overdue_reports"), {"application": oslo_app.pk}).status_code == 302  # once a month
    assert ReportReminder.objects.get().sent_by == users["cw_ost"] and len(mail.outbox) == 1


def test_participation_page(schemes, ref, users, login):
    person = settle(ref, date(2025, 4, 2), nir=False).persons.get()
    url = reverse("grants:participation", args=[person.pk])
    oslo = login(users["oslo"])
    assert "Utløses ikke" in oslo.get(url).content.decode()
    assert login(users["oslo_read"]).get(url).context["forms"] == {}
    assert login(users["oslo_read"]).post(url, {"action": "hours", "year": 2025, "quarter": 3, "hours": 10}).status_code == 403
    assert login(users["bergen"]).get(url).status_code == 404
    bad = oslo.post(url, {"action": "hours", "year": 2025, "quarter": 1, "hours": 10})
    assert bad.status_code == 400 and bad.context["forms"]["hours"].has_error("year", "period_out_of_range")
    assert oslo.post(url, {"action": "hours", "year": 2025, "quarter": 3, "hours": 700}).status_code == 400
    assert not TrainingHours.objects.exists()
    assert oslo.post(url, {"action": "programme", "programme_start": "2025-05-02", "programme_end": ""}).status_code == 302
    assert ParticipationRecord.objects.get().programme_start == date(2025, 5, 2)
    assert oslo.get(url).context["due"] == (2025, 2)
