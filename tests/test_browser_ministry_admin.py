"""The ministry and the admin walk their main tasks in Debian's chromium by clicking from the home page, never by
typing an address: the ministry opens the dashboard and downloads the monthly report as PDF (a PDF, with the
report's title); an admin opens the claims from the menu and approves a claim after a confirmation step that
shows the amount, the municipality and the quarter. axe-core checks the pages on the way."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from tests.test_accessibility import browser, login, serious_violations  # noqa: F401 (fixtures)

pytestmark = pytest.mark.browser


def pdf_title(content: bytes) -> str:
    raw = re.search(rb"/Title \((.*?)\)", content).group(1).decode("latin-1")
    return re.sub(r"\\(\d{3})", lambda m: "–" if m.group(1) == "205" else chr(int(m.group(1), 8)), raw)


@pytest.fixture
def report(users):
    from reporting.models import ReportKind, ReportSnapshot
    from reporting.reference import load_indicators
    from reporting.services import run_snapshot
    from settlement.tests import report_data

    report_data.build()
    load_indicators()
    return run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=6).pk)


@pytest.fixture
def claim(users, ref):
    from grants.models import GrantClaim, GrantRate, GrantYear
    from grants.reference import load_grant_schemes
    from grants.tasks import build_quarter_claims
    from grants.tests.factories import RATES, settle

    load_grant_schemes(years=range(2024, 2027))
    for gy in GrantYear.objects.select_related("scheme"):
        for kind, amount in RATES.get(gy.scheme.code, {}).items():
            GrantRate.objects.update_or_create(grant_year=gy, kind=kind, defaults={"amount": amount})
    settle(ref, date(2025, 4, 2))
    build_quarter_claims(2025, 2)
    return GrantClaim.objects.get(municipality=ref["oslo"], year=2025, quarter=2)


def _axe(page, where):
    violations = serious_violations(page)
    assert not violations, (where, violations)


def test_ministry_opens_the_dashboard_and_downloads_the_pdf(browser, live_server, report):  # noqa: F811
    page = login(browser, live_server, "bld", (1366, 900))
    page.locator("#hovedmeny").get_by_role("link", name="Rapportering", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bosetting – styringsinformasjon juni 2025")
    _axe(page, "dashboard")
    with page.expect_download() as info:
        page.get_by_role("link", name="PDF", exact=True).first.click()
    download = info.value
    content = open(download.path(), "rb").read()
    assert content.startswith(b"%PDF") and download.suggested_filename.endswith(".pdf")
    assert pdf_title(content) == "IMDi – Månedlig bosettingsrapport juni 2025"


def test_admin_approves_a_claim_with_confirmation(browser, live_server, claim):  # noqa: F811
    page = login(browser, live_server, "admin", (1366, 900))
    page.locator("#hovedmeny").get_by_role("link", name="Krav", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Krav om per capita-tilskudd")
    page.get_by_label("Søk", exact=True).fill("Oslo")
    page.get_by_role("button", name="Søk").click()
    _axe(page, "claims")
    page.get_by_role("link", name=re.compile(r"^Åpne krav Oslo 2025 K2")).click()
    page.get_by_role("link", name="Godkjenn kravet …").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Godkjenne kravet fra Oslo?")
    expect(page.get_by_test_id("confirm-amount")).to_have_text("kr\u00a0260\u00a0000,00")
    expect(page.get_by_test_id("confirm-period")).to_have_text("2. kvartal 2025")
    _axe(page, "confirmation")
    page.get_by_role("button", name=re.compile("^Ja, godkjenn")).click()
    expect(page.locator(".messages")).to_contain_text("Kravet fra Oslo for 2. kvartal 2025 er godkjent: kr\u00a0260\u00a0000,00.")
    claim.refresh_from_db()
    assert claim.status == "approved"
