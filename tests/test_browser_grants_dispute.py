"""Issue 12 in Debian's chromium: Oslo disputes a line of its quarterly claim (a person's settlement date is wrong), the
region's caseworker finds the dispute from the claims page, corrects the settlement date and recomputes, and the claim's
new version shows the corrected amount. Clicks from the menu, never a typed address; axe-core checks the new pages.

Figures (grants.tests.factories.RATES): A settled 10.05.2024 brings a year-2 part of 25,000.00 in 2025 Q2; B settled
02.04.2025 brings year 1 (200,000) and the Norwegian grant (60,000). Total 285,000.00. B was really settled
01.07.2025, so version 2 of the Q2 claim is 25,000.00."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.test_accessibility import browser, login, serious_violations  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


@pytest.fixture
def claim(users, ref):
    from grants.models import GrantClaim, GrantRate, GrantYear
    from grants.reference import load_grant_schemes
    from grants.services import build_claims
    from grants.tests.factories import RATES, settle

    load_grant_schemes(years=range(2024, 2027))
    for gy in GrantYear.objects.select_related("scheme"):
        for kind, amount in RATES.get(gy.scheme.code, {}).items():
            GrantRate.objects.update_or_create(grant_year=gy, kind=kind, defaults={"amount": amount})
    settle(ref, date(2024, 5, 10))
    b = settle(ref, date(2025, 4, 2)).persons.get()
    build_claims(2025, 2)
    claim = GrantClaim.objects.get(municipality=ref["oslo"], year=2025, quarter=2)
    claim.b = b
    return claim


def _axe(page, where):
    violations = serious_violations(page)
    assert not violations, (where, violations)


def test_municipality_disputes_and_caseworker_corrects_and_recomputes(browser, live_server, claim):  # noqa: F811
    from grants.models import ClaimDispute, GrantClaim

    b = claim.b
    # Oslo's writer finds the claim from the menu and reports the wrong line.
    page = login(browser, live_server, "oslo", (1366, 900))
    page.locator("#hovedmeny").get_by_role("link", name="Krav", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Åpne krav Oslo 2025 K2")).click()
    expect(page.get_by_test_id("claim-total")).to_have_text("kr\u00a0285\u00a0000,00")
    page.get_by_role("row").filter(has_text="Integreringstilskudd år 1").get_by_role("link", name=re.compile("^Meld feil")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Meld feil i en kravlinje")
    _axe(page, "dispute form")
    page.get_by_label("Hva er feil i linjen?").fill(f"{b.full_name} ble bosatt 01.07.2025, ikke i april.")
    page.get_by_role("button", name="Send innsigelse").click()
    expect(page.locator(".messages")).to_contain_text("Innsigelsen er sendt til IMDi.")
    expect(page.get_by_test_id("dispute-status")).to_have_text("Åpen")
    _axe(page, "dispute (municipality)")
    page.context.close()

    # The caseworker of region Øst finds it from the claims page, corrects the date and recomputes.
    page = login(browser, live_server, "cw_ost", (1366, 900))
    page.locator("#hovedmeny").get_by_role("link", name="Krav", exact=True).click()
    page.get_by_role("link", name="Innsigelser mot krav").click()
    _axe(page, "disputes")
    page.get_by_role("link", name=re.compile("Integreringstilskudd år 1")).click()
    expect(page.get_by_test_id("settled-on")).to_have_text("02.04.2025")
    _axe(page, "dispute (caseworker)")
    page.get_by_label("Rettet bosettingsdato").fill("2025-07-01")
    page.get_by_label("Svar til kommunen (hva er rettet)").fill("Bosettingsdatoen er rettet etter kommunens melding.")
    page.get_by_role("button", name="Rett og beregn på nytt").click()
    expect(page.locator(".messages")).to_contain_text("Kravet er beregnet på nytt som versjon 2: kr\u00a025\u00a0000,00.")
    expect(page.get_by_test_id("claim-version")).to_have_text("2 (erstatter versjon 1)")
    expect(page.get_by_test_id("claim-total")).to_have_text("kr\u00a025\u00a0000,00")
    _axe(page, "claim version 2")
    # The old version is kept, read-only.
    page.get_by_role("link", name="Versjon 1").click()
    expect(page.get_by_test_id("claim-status")).to_have_text("Erstattet av ny versjon")
    expect(page.get_by_test_id("claim-total")).to_have_text("kr\u00a0285\u00a0000,00")

    b.refresh_from_db()
    assert b.settled_on == date(2025, 7, 1)
    assert ClaimDispute.objects.get().status == "resolved"
    assert [(c.version, c.status, c.total) for c in GrantClaim.objects.filter(municipality=claim.municipality).order_by("version")] == [
        (1, "superseded", claim.total), (2, "calculated", claim.total - 260000)]
