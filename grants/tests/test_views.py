"""Grant pages: the municipality's application form, IMDi's workflow forms, claims, letters and payment files."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.urls import reverse
from pypdf import PdfReader

from grants import services
from grants.models import ApplicationStatus, GrantApplication, GrantClaim, GrantYear
from grants.reference import load_grant_schemes

from .factories import ApplicationFactory, settle

D = Decimal


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_municipality_applies_through_the_form(jobbsjansen, users, ref, login):
    client = login(users["oslo"])
    form = {"grant_year": jobbsjansen.pk, "title": "Jobbsjansen Groruddalen", "description": "Kvinner i arbeid",
            "amount_requested": "-5"}
    response = client.post(reverse("grants:applications"), form)
    assert response.status_code == 400
    assert response.context["form"].has_error("amount_requested", "amount_not_positive")
    assert "Jobbsjansen Groruddalen" in response.content.decode()  # the input is kept
    assert not GrantApplication.objects.exists()
    form["amount_requested"] = "450000"
    assert client.post(reverse("grants:applications"), form).status_code == 302
    app = GrantApplication.objects.get()
    assert (app.applicant_name, app.municipality, app.status) == ("Oslo kommune", ref["oslo"], ApplicationStatus.SUBMITTED)
    assert login(users["bergen"]).get(reverse("grants:application", args=[app.pk])).status_code == 404
    assert login(users["oslo_read"]).post(reverse("grants:applications"), form).status_code == 403


def test_application_page_offers_the_steps_the_workflow_allows(jobbsjansen, users, actors, admin2, ref, login):
    app = ApplicationFactory(grant_year=jobbsjansen, municipality=ref["oslo"], assessed=True, assessed_by=users["admin"])
    url = reverse("grants:application", args=[app.pk])
    assert set(login(users["admin"]).get(url).context["forms"]) == set()  # the assessor does not decide
    assert set(login(admin2.user).get(url).context["forms"]) == {"decide"}
    assert set(login(users["oslo"]).get(url).context["forms"]) == set()
    assert login(users["admin"]).post(url, {"action": "decide", "decision": "grant", "amount": "1"}).status_code == 403


def test_decision_form_refuses_overspending(jobbsjansen, users, actors, ref, login):
    app = services.submit_application(actors["oslo"], grant_year=jobbsjansen, title="T",
                                      description="D", amount_requested=D("400000"), municipality=ref["oslo"])
    GrantYear.objects.filter(pk=jobbsjansen.pk).update(budget=D("300000"))  # the budget was cut after the application
    services.assess_application(actors["cw_ost"], app, assessment="Bra", recommended_amount=D("400000"))
    client = login(users["admin"])
    url = reverse("grants:application", args=[app.pk])
    response = client.post(url, {"action": "decide", "decision": "grant", "amount": "400000", "reason": "Bra"})
    assert response.status_code == 400
    assert response.context["forms"]["decide"].has_error("amount", "over_budget")
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ASSESSED
    assert client.post(url, {"action": "decide", "decision": "grant", "amount": "300000", "reason": "Delvis"}).status_code == 302
    app.refresh_from_db()
    assert (app.status, app.amount_granted) == (ApplicationStatus.GRANTED, D("300000"))
    # A caseworker gets no payment form, and posting one anyway is refused.
    assert login(users["cw_ost"]).post(url, {"action": "pay"}).status_code == 403


def test_claims_letter_and_payment_file(schemes, users, ref, login):
    settle(ref, date(2025, 4, 2))
    settle(ref, date(2025, 5, 2), municipality="bergen")
    admin = login(users["admin"])
    assert admin.post(reverse("grants:claims"), {"year": 2025, "quarter": 2, "action": "build"}).status_code == 302
    oslo_claim = GrantClaim.objects.get(municipality=ref["oslo"], year=2025, quarter=2)  # eager in tests: the job has run
    assert oslo_claim.total == D("260000")
    # No decision letter before the claim is approved: back to the claim page, which says why.
    refused = admin.get(reverse("grants:claim_letter", args=[oslo_claim.pk]))
    assert refused.status_code == 302 and refused.url == reverse("grants:claim", args=[oslo_claim.pk])
    assert admin.get(refused.url).context["letter_refusal"] == "Vedtaksbrev lages bare for godkjente krav."
    assert admin.get(reverse("grants:claim", args=[oslo_claim.pk])).context["actions"] == {"approve"}
    # Approval goes through the confirmation page (amount, municipality, quarter) first.
    assert admin.post(reverse("grants:claim", args=[oslo_claim.pk])).url.endswith("?godkjenn=1")
    assert GrantClaim.objects.get(pk=oslo_claim.pk).status == oslo_claim.status
    assert admin.post(reverse("grants:claim", args=[oslo_claim.pk]), {"confirm": "ja"}).status_code == 302
    assert admin.get(reverse("grants:claim", args=[oslo_claim.pk])).context["actions"] == {"pay"}  # in the quarter's file
    letter = admin.get(reverse("grants:claim_letter", args=[oslo_claim.pk]))
    assert letter["Content-Type"] == "application/pdf"
    text = pdf_text(letter.content)
    assert "Vedtak om tilskudd for 2. kvartal 2025" in text
    duf = oslo_claim.lines.filter(person__isnull=False).first().person.duf_number
    assert "260 000,00" in text.replace("\xa0", " ") and duf not in text  # amounts, no personal data
    response = admin.post(reverse("grants:claims"), {"year": 2025, "quarter": 2, "action": "pay"})
    download = admin.get(response.url + "?download=1")
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert download.content.decode().splitlines()[1].startswith("0301;Oslo;2025;2;260000.00;")
    # Municipalities see their own claims only.
    oslo = login(users["oslo"])
    bergen_claim = GrantClaim.objects.get(municipality=ref["bergen"])
    assert oslo.get(reverse("grants:claim", args=[bergen_claim.pk])).status_code == 404
    assert oslo.get(reverse("grants:claim", args=[oslo_claim.pk])).context["actions"] == set()
    assert oslo.post(reverse("grants:claims"), {"year": 2025, "quarter": 2}).status_code == 403


def test_claims_page_proposes_the_last_finished_quarter(users, ref, login, today, time_machine):
    def proposed():
        return login(users["admin"]).get(reverse("grants:claims")).context["form"].initial

    assert proposed() == {"year": 2025, "quarter": 4}  # on 16.03.2026
    time_machine.move_to(datetime(2026, 4, 1, 8, tzinfo=ZoneInfo("Europe/Oslo")))
    assert proposed() == {"year": 2026, "quarter": 1}


def test_scheme_page_for_the_ministry(users, ref, login):
    load_grant_schemes()  # the 2013 budgets of table 4.5
    response = login(users["ministry"]).get(reverse("grants:schemes"), {"year": 2013})
    assert response.status_code == 200
    assert "Integreringstilskudd" in response.content.decode() and "5\xa0090\xa0852\xa0000" in response.content.decode()
    assert login(users["ministry"]).get(reverse("grants:claims")).status_code == 403
