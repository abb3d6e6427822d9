"""Agreements in Debian's chromium, by clicking from the caseworker's home page: region Øst's caseworker makes an
agreement with Oslo from the office's template, with the county governor (Statsforvalteren) as a party; the
agreement began a year ago and has had no meeting, so the follow-up page lists it as quiet; a meeting on settlement
and qualification is recorded, and the agreement leaves the quiet list."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from agreements import services
from agreements.models import AgreementType, PartnershipAgreement, PartyOrganisation
from agreements.reference import load_parties
from core.roles import actor_for
from tests.browser import login as _login, shot


def _shot(page, name):
    shot(page, f"agreements-{name}")


@pytest.mark.browser
def test_agreement_from_template_with_county_governor_meets_and_leaves_the_quiet_list(browser, live_server, ref, users):
    load_parties()
    today = timezone.localdate()
    cw_actor = actor_for(users["cw_ost"])
    template = services.create_template(
        cw_actor, name="Partnerskapsavtale (IMDi Øst)", agreement_type=AgreementType.PARTNERSHIP, region=ref["ost"],
        purpose="Styrke integreringsarbeidet og forankre det i kommunens planverk.", goals="Rask og jevn bosetting",
        meeting_topics=["settlement", "qualification"], evaluation_points="Bosatt mot vedtak")
    services.add_template_item(cw_actor, template, year=1, title="Handlingsplan for året vedtatt", owner="Kommunen og IMDi", due_month=12)
    governor = PartyOrganisation.objects.get(code="sf-oslo-viken")
    start = today - timedelta(days=365)

    # 1. From "Avtaler" (the follow-up page) to "Alle avtaler", then the form, from the template.
    cw = _login(browser, live_server, "cw_ost")
    cw.locator("#hovedmeny").get_by_role("link", name="Avtaler", exact=True).click()
    expect(cw.locator("h1")).to_contain_text("Oppfølging av samarbeidsavtaler")
    cw.get_by_role("link", name="Alle avtaler").first.click()
    cw.get_by_text("Registrer ny avtale").click()
    cw.select_option("#id_template", str(template.pk))
    cw.fill("#id_title", "Partnerskapsavtale Oslo")
    cw.select_option("#id_municipalities", str(ref["oslo"].pk))
    cw.select_option("#id_parties", str(governor.pk))
    cw.fill("#id_start_date", start.isoformat())
    cw.fill("#id_end_date", (today + timedelta(days=730)).isoformat())
    _shot(cw, "1-from-template")
    cw.get_by_role("button", name="Lagre avtale").click()
    expect(cw.locator(".messages")).to_contain_text("Avtalen er registrert")
    expect(cw.get_by_test_id("party")).to_have_text("Statsforvalteren i Oslo og Viken")
    expect(cw.locator("h2", has_text="Handlingsplan og årlig evaluering")).to_be_visible()
    expect(cw.locator("body")).to_contain_text("Handlingsplan for året vedtatt")
    agreement = PartnershipAgreement.objects.get(title="Partnerskapsavtale Oslo")
    assert (agreement.template_id, list(agreement.parties.all()), agreement.meeting_topics) == (
        template.pk, [governor], ["settlement", "qualification"])

    # 2. A year without a meeting: the follow-up page lists it as quiet.
    cw.get_by_role("link", name="Oppfølging").first.click()
    quiet = cw.get_by_test_id("quiet")
    expect(quiet).to_contain_text("Partnerskapsavtale Oslo")
    expect(quiet).to_contain_text("aldri")
    _shot(cw, "2-quiet")

    # 3. Record a meeting on settlement and qualification.
    quiet.get_by_role("link", name="Partnerskapsavtale Oslo").click()
    cw.fill("#id_held_on", today.isoformat())
    cw.get_by_label("Bosetting", exact=True).check()
    cw.get_by_label("Kvalifisering og introduksjonsprogram", exact=True).check()
    cw.fill("#id_participants", "IMDi Øst, Oslo kommune, Statsforvalteren")
    cw.fill("#id_minutes", "Bosettingstall og introduksjonsprogrammet.")
    cw.get_by_role("button", name="Lagre referat").click()
    expect(cw.locator(".messages")).to_contain_text("Lagret")
    expect(cw.get_by_test_id("meeting-topics")).to_have_text("Tema: Bosetting, Kvalifisering og introduksjonsprogram")
    assert agreement.meetings.get().topics == ["settlement", "qualification"]

    # 4. It has left the quiet list.
    cw.get_by_role("link", name="Oppfølging").first.click()
    expect(cw.get_by_test_id("quiet")).not_to_contain_text("Partnerskapsavtale Oslo")
    _shot(cw, "3-not-quiet")
