"""The demo's contact register and request letters (issue 12): role addresses, no personal names, idempotent."""

from datetime import date, timedelta

from django.urls import reverse

from demo.requests import seed_request_letters
from settlement import services
from settlement.models import ContactTitle, MunicipalityContact, RequestLetter


def test_demo_contacts_and_letters(ref, actors, users, client, today):
    for m in (ref["oslo"], ref["baerum"]):
        services.create_settlement_request(actors["admin"], municipality=m, sent_on=today - timedelta(days=5),
                                           reply_deadline=today + timedelta(days=30), years={today.year + 1: (10, 0)})
    old = services.create_settlement_request(actors["admin"], municipality=ref["bergen"], sent_on=today - timedelta(days=400),
                                             reply_deadline=today - timedelta(days=300), years={today.year: (5, 0)})
    assert "3 letter recipients and 2 request letters" in seed_request_letters(date(2025, 6, 30))
    oslo = MunicipalityContact.objects.get(municipality=ref["oslo"])
    assert (oslo.title, oslo.name, oslo.email, oslo.receives_request_letter) == (
        ContactTitle.CHIEF_EXECUTIVE, "Kommunedirektøren", ref["oslo"].email, True)
    assert oslo.email.startswith("postmottak@") and oslo.email.endswith(".kommune.no")
    assert not RequestLetter.objects.filter(request=old).exists()  # only the latest round
    assert "0 letter recipients and 0 request letters" in seed_request_letters(date(2025, 6, 30))  # run twice
    assert seed_request_letters(date(2014, 6, 30))  # before 2020 the title would be rådmann
    # The demo's letters keep no PDF: it is made again from the record when opened.
    letter = RequestLetter.objects.get(request__municipality=ref["oslo"])
    client.force_login(users["cw_ost"])
    pdf = client.get(reverse("settlement:request_letter", args=[letter.request_id]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
