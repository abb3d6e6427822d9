"""Request letters and decisions registered by IMDi in Debian's chromium (issue 12, items 2 and 3).

1. The caseworker plans next year's requests from the national need and the stated key, adjusts Oslo's figure and
   sends; the letter (PDF) goes by e-mail to Oslo's chief executive; Oslo decides the same places for the first year
   and fewer for the second, and the request list shows "Som anmodet" and "Færre enn anmodet".
2. The national admin registers Stavanger's decision on the municipality's behalf, with its date and reference, and
   Stavanger sees it on its decision page as registered by IMDi."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from core.models import Municipality, Role
from settlement.models import ContactTitle, MunicipalDecision, MunicipalityContact, NationalNeed, RequestLetter
from tests.browser import login as _login, menu as _menu, shot


def _shot(page, name):
    shot(page, f"requests-{name}")


@pytest.mark.browser
def test_request_letter_planned_sent_and_answered(browser, live_server, ref, users, today):
    y = today.year + 1
    NationalNeed.objects.create(year=y, adults_and_families=900, unaccompanied_minors=80, resettlement_refugees=20)
    MunicipalityContact.objects.create(municipality=ref["oslo"], name="Kommunedirektøren", title=ContactTitle.CHIEF_EXECUTIVE,
                                       email="kommunedirektor@oslo.kommune.no", receives_request_letter=True)

    cw = _login(browser, live_server, "cw_ost")
    _menu(cw, "Anmodninger")
    cw.get_by_role("link", name="Anmodningsplan og brev").click()
    expect(cw.locator("h1")).to_contain_text("Anmodningsplan")
    expect(cw.locator("#id_need_1")).to_have_value("1000")  # the national need for the year
    cw.fill("#id_factor", "1.10")
    cw.get_by_role("button", name="Beregn forslag").click()
    oslo_row = cw.locator('tr[data-municipality="0301"]')
    expect(oslo_row).to_contain_text("kommunedirektor@oslo.kommune.no")
    expect(oslo_row.get_by_label("Send til Oslo")).to_be_checked()
    oslo_row.get_by_label(f"Personer {y} Oslo", exact=True).fill("120")
    oslo_row.get_by_label(f"Herav enslige mindreårige {y} Oslo", exact=True).fill("10")
    oslo_row.get_by_label(f"Personer {y + 1} Oslo", exact=True).fill("100")
    _shot(cw, "1-plan")
    cw.get_by_role("button", name="Send anmodninger").click()
    expect(cw.locator(".messages")).to_contain_text("1 anmodninger er registrert")
    expect(cw.locator("h1")).to_contain_text("Anmodninger om bosetting")
    expect(cw.get_by_test_id("letter-sent")).to_contain_text("kommunedirektor@oslo.kommune.no")
    expect(cw.locator('[data-reply="not_answered"]').first).to_contain_text("Ikke svart")
    _shot(cw, "2-sent")

    (message,) = mail.outbox
    assert message.to == ["kommunedirektor@oslo.kommune.no"]
    assert message.attachments[0][1].startswith(b"%PDF")
    letter = RequestLetter.objects.get()
    assert letter.sent_at is not None and bytes(letter.pdf) == message.attachments[0][1]

    oslo = _login(browser, live_server, "oslo")
    _menu(oslo, "Vedtak")
    for year, places in ((y, "120"), (y + 1, "80")):
        oslo.fill("#id_year", str(year))
        oslo.fill("#id_places", places)
        oslo.fill("#id_unaccompanied_minors", "5")
        oslo.fill("#id_decided_on", today.isoformat())
        oslo.get_by_role("button", name="Lagre vedtak").click()
        expect(oslo.locator(".messages")).to_contain_text(f"Vedtaket for {year} er registrert")
    _menu(oslo, "Anmodninger")
    expect(oslo.locator('[data-reply="same"]')).to_have_text(f"{y}: Som anmodet")
    expect(oslo.locator('[data-reply="fewer"]')).to_have_text(f"{y + 1}: Færre enn anmodet")
    _shot(oslo, "3-answered")
    # The caseworker sees the same reply status.
    cw.reload()
    expect(cw.locator('[data-reply="fewer"]')).to_contain_text("Færre enn anmodet")


@pytest.mark.browser
def test_imdi_registers_a_decision_for_a_municipality(browser, live_server, ref, users, make_user, today):
    stavanger = Municipality.objects.get(number="1103")  # region Vest: the national admin registers for any region
    make_user(Role.MUNICIPALITY, "stavanger", municipality=stavanger, can_write=True)
    cw = _login(browser, live_server, "admin")
    _menu(cw, "Anmodninger")
    cw.get_by_role("link", name="Registrer vedtak for kommune").click()
    expect(cw.locator("h1")).to_contain_text("Registrer kommunens vedtak")
    cw.select_option("#id_municipality", str(stavanger.pk))
    cw.fill("#id_year", str(today.year))
    cw.fill("#id_places", "25")
    cw.fill("#id_unaccompanied_minors", "3")
    cw.fill("#id_decided_on", today.isoformat())
    cw.fill("#id_reference", "   ")  # passes the browser's required check, not the server's
    cw.get_by_role("button", name="Registrer vedtak").click()
    _shot(cw, "4a-no-reference")
    # No reference: refused next to the field, nothing saved.
    expect(cw.locator("#imdi-decision-form")).to_contain_text("Dette feltet er påkrevd")
    assert not MunicipalDecision.objects.exists()
    cw.fill("#id_reference", "2026/417-6")
    cw.get_by_role("button", name="Registrer vedtak").click()
    expect(cw.locator(".messages")).to_contain_text("er registrert på kommunens vegne")
    expect(cw.locator("#imdi-decisions")).to_contain_text("2026/417-6")
    _shot(cw, "4-imdi-decision")
    decision = MunicipalDecision.objects.get()
    assert (decision.municipality, decision.places, decision.registered_by_imdi) == (stavanger, 25, True)

    municipality = _login(browser, live_server, "stavanger")
    _menu(municipality, "Vedtak")
    expect(municipality.locator("table").first).to_contain_text("2026/417-6 (registrert av IMDi)")
    _shot(municipality, "5-municipality-sees-it")
