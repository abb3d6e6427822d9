"""The settlement flow in Debian's chromium, by clicking from each user's home page (no typed URLs): the caseworker
registers a six-person household and sends it on a distribution list after a confirmation; the municipality finds
it by search in its inbox, accepts it, sees it in the accepted list, and registers its settlement."""

import pytest
from playwright.sync_api import expect

from settlement.models import Household, HouseholdStatus
from tests.browser import login as _login, menu as _menu, shot

MEMBERS = [("Amanuel", "M", "1980-02-01"), ("Saba", "F", "1982-06-15"), ("Dawit", "M", "2008-09-09"),
           ("Hanna", "F", "2011-01-20"), ("Yonas", "M", "2015-04-30"), ("Lidia", "F", "2019-12-24")]


def _shot(page, name):
    shot(page, f"settlement-{name}")


@pytest.mark.browser
def test_six_person_household_from_registration_to_settlement(browser, live_server, ref, users, decide, today):
    decide(ref["oslo"], places=20)

    # 1. The caseworker registers a household of six, adding person rows with "Legg til person".
    cw = _login(browser, live_server, "cw_ost")
    expect(cw.locator("h1")).to_contain_text("Arbeidskø")
    _menu(cw, "Ny husstand")
    expect(cw.locator("h1")).to_contain_text("Registrer bosettingsklar husstand")
    cw.select_option("#id_category", "reception")
    cw.select_option("#id_reception_centre", str(ref["centre"].pk))
    for i, (first, sex, born) in enumerate(MEMBERS):
        if i:
            cw.get_by_role("button", name="Legg til person").click()
        expect(cw.locator("[data-person-row]:not(template [data-person-row])")).to_have_count(i + 1)
        cw.get_by_label("DUF-nummer").nth(i).fill(f"2026555000{i:02d}")
        cw.get_by_label("Fornavn").nth(i).fill(first)
        cw.get_by_label("Etternavn").nth(i).fill("Gebremedhin")
        cw.get_by_label("Fødselsdato").nth(i).fill(born)
        cw.get_by_label("Kjønn").nth(i).select_option(sex)
        cw.get_by_label("Nasjonalitet").nth(i).select_option("ERI")
        cw.get_by_label("Vedtak om opphold").nth(i).fill(today.replace(day=1).isoformat())
    expect(cw.locator("#person-count")).to_have_text("6 personer")
    _shot(cw, "1-household-form")
    cw.get_by_role("button", name="Registrer", exact=True).click()
    expect(cw.locator(".messages")).to_contain_text("registrert som bosettingsklar")
    household = Household.objects.get(persons__duf_number="202655500000")
    assert household.persons.count() == 6
    # The reception centre's interview has its own browser test (test_browser_interview.py); here the caseworker
    # lets the household be proposed without it, which the service logs.
    from core.roles import actor_for
    from settlement.services.interviews import waive_interview
    waive_interview(actor_for(users["cw_ost"]), household, reason="Samtale avtalt, bosetting haster")

    # 2. Utsøking: compute a proposal, pick Oslo for the household, see the summary, confirm and send.
    _menu(cw, "Utsøking")
    cw.get_by_role("button", name="Beregn nytt forslag").click()
    row_select = cw.get_by_label(f"Kommune for husstand #{household.pk}")
    row_select.select_option(str(ref["oslo"].pk))
    expect(row_select.locator("option:checked")).to_have_text("Oslo (14 ledige)")  # 20 places, 6 persons, live
    cw.get_by_role("button", name="Se over og send fordelingslistene").click()
    expect(cw.locator("#bekreft")).to_contain_text("1\u00a0fordelingsliste")
    expect(cw.locator("#bekreft")).to_contain_text("6\u00a0personer")
    _shot(cw, "2-matching-confirm")
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.READY  # nothing sent before confirming
    cw.get_by_role("button", name="Bekreft og send 1\u00a0fordelingsliste").click()
    expect(cw.locator(".messages")).to_contain_text("Sendt 1\u00a0fordelingsliste med 1\u00a0husstand.")
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.PROPOSED

    # 3. The municipality finds the household by search in its inbox and accepts it.
    oslo = _login(browser, live_server, "oslo")
    expect(oslo.locator("h1")).to_contain_text("Innboks – Oslo kommune")
    oslo.get_by_label("Søk (husstandsnr., DUF-nr. eller navn)").fill("Gebremedhin")
    oslo.get_by_role("button", name="Vis", exact=True).click()
    row = oslo.locator(f"#proposal-{household.proposals.get().pk}")
    expect(row).to_contain_text("Amanuel Gebremedhin")
    _shot(oslo, "3-inbox-search")
    row.get_by_role("button", name="Aksepter").click()
    expect(oslo.locator(".messages")).to_contain_text("Forslaget er akseptert")
    accepted = oslo.locator(f"#household-{household.pk}")
    expect(accepted).to_contain_text("Amanuel Gebremedhin")  # in "Akseptert – venter på utsøking"
    _shot(oslo, "4-accepted-list")

    # 4. The caseworker assigns it (søkt ut) from the work queue.
    _menu(cw, "Arbeidskø")
    cw.get_by_role("link", name=f"#{household.pk}", exact=True).click()
    cw.locator("#assign-form").get_by_role("button", name="Søk ut").click()
    expect(cw.locator(".messages")).to_contain_text("søkt ut")

    # 5. The municipality registers the settlement of all six.
    _menu(oslo, "Bosetting")
    oslo.get_by_label("Søk (husstandsnr., DUF-nr. eller navn)").fill("Gebremedhin")
    oslo.get_by_role("button", name="Vis", exact=True).click()
    form = oslo.locator(f"#settle-{household.pk}")
    dates = form.locator("input[type=date]")
    expect(dates).to_have_count(6)
    for i in range(6):
        dates.nth(i).fill(today.isoformat())
    _shot(oslo, "5-settlement-registration")
    form.get_by_role("button", name="Registrer").click()
    expect(oslo.locator(".messages")).to_contain_text("Bosettingsdato er registrert")
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.SETTLED
