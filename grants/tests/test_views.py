"""Grant pages: the municipality's application form, IMDi's workflow forms, claims, letters and payment files."""

from datetime import date
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from grants import services
from grants.models import ApplicationStatus, GrantApplication, GrantClaim, GrantYear
from grants.tests.factories import settle


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_municipality_applies_through_the_form(jobbsjansen, users, ref):  # noqa: F811
    client = _client(users["oslo"])
    form = {"grant_year": jobbsjansen.pk, "title": "Jobbsjansen Groruddalen", "description": "Kvinner i arbeid",
            "amount_requested": "-5"}
    response = client.post(reverse("grants:applications"), form)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Søkt beløp må være større enn null." in body and "Jobbsjansen Groruddalen" in body
    assert not GrantApplication.objects.exists()
    form["amount_requested"] = "450000"
    response = client.post(reverse("grants:applications"), form)
    assert response.status_code == 302
    app = GrantApplication.objects.get()
    assert (app.applicant_name, app.municipality, app.status) == ("Oslo kommune", ref["oslo"], ApplicationStatus.SUBMITTED)
    assert _client(users["bergen"]).get(reverse("grants:application", args=[app.pk])).status_code == 404
    assert _client(users["oslo_read"]).post(reverse("grants:applications"), form).status_code == 403


def test_decision_form_refuses_overspending(jobbsjansen, users, actors, ref):  # noqa: F811
    app = services.submit_application(actors["oslo"], grant_year=jobbsjansen, title="T",
                                      description="D", amount_requested=Decimal("400000"), municipality=ref["oslo"])
    GrantYear.objects.filter(pk=jobbsjansen.pk).update(budget=Decimal("300000"))  # the budget was cut after the application
    services.assess_application(actors["cw_ost"], app, assessment="Bra", recommended_amount=Decimal("400000"))
    client = _client(users["admin"])
    response = client.post(reverse("grants:application", args=[app.pk]),
                           {"action": "decide", "decision": "grant", "amount": "400000", "reason": "Bra"})
    assert response.status_code == 400
    assert "har bare 300" in response.content.decode()
    app.refresh_from_db()
    assert app.status == ApplicationStatus.ASSESSED
    response = client.post(reverse("grants:application", args=[app.pk]),
                           {"action": "decide", "decision": "grant", "amount": "300000", "reason": "Delvis"})
    assert response.status_code == 302
    app.refresh_from_db()
    assert (app.status, app.amount_granted) == (ApplicationStatus.GRANTED, Decimal("300000"))
    # A caseworker gets no decision form, and posting one anyway is refused.
    assert _client(users["cw_ost"]).post(reverse("grants:application", args=[app.pk]), {"action": "pay"}).status_code == 403


def test_claims_letter_and_payment_file(schemes, users, actors, ref):  # noqa: F811
    settle(ref, date(2025, 4, 2))
    settle(ref, date(2025, 5, 2), municipality="bergen")
    admin = _client(users["admin"])
    response = admin.post(reverse("grants:claims"), {"year": 2025, "quarter": 2, "action": "build"})
    assert response.status_code == 302  # eager in tests: the job has run
    oslo_claim = GrantClaim.objects.get(municipality=ref["oslo"], year=2025, quarter=2)
    assert oslo_claim.total == Decimal("260000")
    letter = admin.get(reverse("grants:claim_letter", args=[oslo_claim.pk])).content.decode()
    assert "Vedtak om tilskudd for 2. kvartal 2025" in letter
    assert "260\xa0000,00" in letter and "Yonas" not in letter  # amounts, no personal data
    assert admin.post(reverse("grants:claim", args=[oslo_claim.pk])).status_code == 302
    response = admin.post(reverse("grants:claims"), {"year": 2025, "quarter": 2, "action": "pay"})
    batch_url = response.url
    download = admin.get(batch_url + "?download=1")
    assert download["Content-Type"].startswith("text/csv")
    assert "0301;Oslo;2025;2;260000.00" in download.content.decode()
    # Municipalities see their own claims only.
    oslo = _client(users["oslo"])
    bergen_claim = GrantClaim.objects.get(municipality=ref["bergen"])
    assert oslo.get(reverse("grants:claim", args=[bergen_claim.pk])).status_code == 404
    assert oslo.get(reverse("grants:claim", args=[oslo_claim.pk])).status_code == 200
    assert oslo.post(reverse("grants:claims"), {"year": 2025, "quarter": 2}).status_code == 403


def test_scheme_page_for_the_ministry(schemes, users, today):  # noqa: F811
    from grants.reference import load_grant_schemes

    load_grant_schemes()  # the 2013 budgets of table 4.5
    response = _client(users["ministry"]).get(reverse("grants:schemes"), {"year": 2013})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Integreringstilskudd" in body and "5\xa0090\xa0852\xa0000" in body
    assert _client(users["ministry"]).get(reverse("grants:claims")).status_code == 403
