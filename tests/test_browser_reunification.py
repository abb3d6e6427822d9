"""Family reunification and a transfer between regional offices in Debian's chromium (issue 12, items 5 and 9).

The caseworker links a family that has just been granted reunification to a refugee settled in Oslo (the reference
person), assigns it straight to Oslo without a distribution list, and Oslo registers the settlement date as usual.
Then the caseworker transfers another household to region Vest, whose caseworker finds it in the work queue."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from settlement.models import DistributionList, Household, HouseholdStatus
from settlement.tests.factories import HouseholdFactory
from tests.browser import login as _login, menu as _menu, shot


def _shot(page, name):
    shot(page, f"reunification-{name}")


@pytest.mark.browser
def test_family_member_linked_assigned_directly_and_settled_then_a_transfer(browser, live_server, ref, users,
                                                                             make_household, today):
    reference = HouseholdFactory(settled=True, municipality=ref["oslo"], settled_on=today - timedelta(days=40),
                                 waiting_since=today - timedelta(days=200),
                                 persons=[{"first_name": "Tesfay", "last_name": "Kidane"}]).persons.get()
    family = make_household(size=2, last="Gjenforent")
    other = make_household(last="Overføres")

    # 1. The caseworker opens the family from the work queue and links it to the reference person.
    cw = _login(browser, live_server, "cw_ost")
    expect(cw.locator("h1")).to_contain_text("Arbeidskø")
    cw.get_by_role("link", name=f"#{family.pk}", exact=True).click()
    cw.get_by_role("link", name="Familiegjenforening").click()
    expect(cw.locator("h1")).to_contain_text("Familiegjenforening")
    cw.get_by_label("DUF-nummer til referansepersonen").fill("1" * 12)
    cw.get_by_role("button", name="Knytt til referanseperson").click()
    expect(cw.locator("#link-form")).to_contain_text("Fant ingen person")  # a clear error, nothing changed
    assert Household.objects.get(pk=family.pk).reference_person_id is None
    cw.get_by_label("DUF-nummer til referansepersonen").fill(reference.duf_number)
    cw.get_by_role("button", name="Knytt til referanseperson").click()
    expect(cw.locator(".messages")).to_contain_text("knyttet til referansepersonen")
    expect(cw.locator("[data-testid=reunification-reference]")).to_contain_text("Tesfay Kidane")

    # 2. Assigned straight to Oslo, the reference person's municipality: no distribution list.
    cw.get_by_role("link", name="Familiegjenforening").click()
    expect(cw.locator("#reunify-form")).to_contain_text("Søk ut direkte til Oslo")
    _shot(cw, "1-assign")
    cw.locator("#reunify-form").get_by_role("button", name="Søk ut direkte").click()
    expect(cw.locator(".messages")).to_contain_text("søkt ut direkte")
    household = Household.objects.get(pk=family.pk)
    assert (household.status, household.municipality_id) == (HouseholdStatus.ASSIGNED, ref["oslo"].pk)
    assert not DistributionList.objects.exists()

    # 3. Oslo registers the settlement date as for any household.
    oslo = _login(browser, live_server, "oslo")
    _menu(oslo, "Bosetting")
    oslo.get_by_label("Søk (husstandsnr., DUF-nr. eller navn)").fill("Gjenforent")
    oslo.get_by_role("button", name="Vis", exact=True).click()
    form = oslo.locator(f"#settle-{family.pk}")
    dates = form.locator("input[type=date]")
    expect(dates).to_have_count(2)
    for i in range(2):
        dates.nth(i).fill(today.isoformat())
    form.get_by_role("button", name="Registrer").click()
    expect(oslo.locator(".messages")).to_contain_text("Bosettingsdato er registrert")
    _shot(oslo, "2-settled")
    assert Household.objects.get(pk=family.pk).status == HouseholdStatus.SETTLED

    # 4. Transfer: Øst hands another household to Vest; it leaves Øst's queue and appears in Vest's.
    _menu(cw, "Arbeidskø")
    cw.get_by_role("link", name=f"#{other.pk}", exact=True).click()
    cw.get_by_role("link", name="Overfør til annet regionkontor").click()
    cw.get_by_label("Til regionkontor").select_option(label="IMDi Vest")
    cw.get_by_label("Begrunnelse").fill("Familien har flyttet til et mottak i vest")
    cw.get_by_role("button", name="Overfør").click()
    expect(cw.locator(".messages")).to_contain_text("overført til IMDi Vest")
    expect(cw.get_by_role("link", name=f"#{other.pk}", exact=True)).to_have_count(0)
    vest = _login(browser, live_server, "cw_vest")
    vest.get_by_role("link", name=f"#{other.pk}", exact=True).click()
    expect(vest.locator(".timeline")).to_contain_text("Overført til et annet regionkontor")
    _shot(vest, "3-transferred")
