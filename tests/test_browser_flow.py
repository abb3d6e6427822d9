"""The whole flow in a real browser: Debian's chromium driven by Playwright."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from settlement.models import Household, HouseholdStatus
from tests.browser import ARTIFACTS, login as _login


@pytest.mark.browser
def test_propose_accept_assign_settle_in_browser(browser, live_server, ref, users, make_household, decide, today):
    ARTIFACTS.mkdir(exist_ok=True)
    decide(ref["oslo"], places=5)
    household = make_household(size=2, last="Tesfamariam")

    # 1. The caseworker builds a distribution list for Oslo and sends it.
    cw = _login(browser, live_server, "cw_ost")
    expect(cw.locator("h1")).to_contain_text("Arbeidskø")
    expect(cw.locator("main")).to_contain_text("Tesfamariam")
    cw.goto(f"{live_server.url}/bosetting/fordelingslister/ny/?municipality_id={ref['oslo'].pk}&year={today.year}")
    expect(cw.get_by_test_id("available")).to_have_text("5")
    cw.check(f"#hh-{household.pk}")
    cw.fill("#id_reply_deadline", (today + timedelta(days=10)).isoformat())
    cw.get_by_role("button", name="Send fordelingsliste").click()
    expect(cw.locator(".messages")).to_contain_text("er sendt til Oslo")
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.PROPOSED

    # 2. The municipality accepts it from its inbox.
    muni = _login(browser, live_server, "oslo")
    expect(muni.locator("h1")).to_contain_text("Innboks – Oslo kommune")
    card = muni.locator(f"#proposal-{household.proposals.get().pk}")
    expect(card).to_contain_text("Tesfamariam")
    card.get_by_role("button", name="Aksepter").click()
    expect(muni.locator(".messages")).to_contain_text("Forslaget er akseptert")
    assert Household.objects.get(pk=household.pk).status == HouseholdStatus.ACCEPTED

    # 3. The caseworker assigns the household (søkt ut); the one "ledig" figure already holds the accepted
    #    household's 2 persons against the 5 places (issue 10), so it stays at 3.
    cw.goto(f"{live_server.url}/bosetting/husstander/{household.pk}/")
    expect(cw.get_by_test_id("cap-remaining")).to_have_text("3")
    assign_date = today - timedelta(days=1)
    cw.fill("#id_assign-assigned_on", assign_date.isoformat())
    cw.click("#assign-form button[type=submit]")
    expect(cw.locator(".messages")).to_contain_text("søkt ut")
    expect(cw.locator("h1")).to_contain_text("Søkt ut")
    expect(cw.get_by_test_id("cap-remaining")).to_have_text("3")

    # 4. The municipality tries a date before the assignment: a clear error, nothing saved.
    muni.goto(f"{live_server.url}/bosetting/kommune/bosetting/")
    form = muni.locator(f"#settle-{household.pk}")
    date_inputs = form.locator("input[type=date]")
    expect(date_inputs).to_have_count(2)
    date_inputs.nth(0).fill((assign_date - timedelta(days=7)).isoformat())
    form.locator("button[type=submit]").click()
    expect(muni.locator(f"#settle-{household.pk}")).to_contain_text("kan ikke være før utsøkingsdatoen")
    assert Household.objects.get(pk=household.pk).persons.filter(settled_on__isnull=False).count() == 0

    # 5. Then registers the right dates; the household is settled.
    form = muni.locator(f"#settle-{household.pk}")
    for i in range(2):
        form.locator("input[type=date]").nth(i).fill(today.isoformat())
    form.locator("button[type=submit]").click()
    expect(muni.locator(".messages")).to_contain_text("Bosettingsdato er registrert")
    muni.goto(f"{live_server.url}/bosetting/husstander/{household.pk}/")
    expect(muni.locator("h1")).to_contain_text("Bosatt")
    muni.screenshot(path=str(ARTIFACTS / "household-settled.png"), full_page=True)
    muni.goto(f"{live_server.url}/bosetting/kommune/vedtak/")
    expect(muni.get_by_test_id("decision-remaining")).to_have_text("3")

    settled = Household.objects.get(pk=household.pk)
    assert settled.status == HouseholdStatus.SETTLED
    assert settled.settled_on == today
    assert list(settled.events.values_list("kind", flat=True))[-1] == "settled"

    # 6. A municipality user cannot open another municipality's case by URL.
    bergen = _login(browser, live_server, "bergen")
    response = bergen.goto(f"{live_server.url}/bosetting/husstander/{household.pk}/")
    assert response.status == 404


@pytest.mark.browser
def test_negative_decision_shows_error_in_browser(browser, live_server, ref, users, today):
    page = _login(browser, live_server, "oslo")
    page.goto(f"{live_server.url}/bosetting/kommune/vedtak/")
    page.fill("#id_places", "-3")
    page.fill("#id_housing_plan", "Ti boliger fra Boligbygg")
    page.get_by_role("button", name="Lagre vedtak").click()
    expect(page.locator("#decision-form")).to_contain_text("Antallet kan ikke være negativt.")
    expect(page.locator("#id_housing_plan")).to_have_value("Ti boliger fra Boligbygg")
    page.screenshot(path=str(ARTIFACTS / "decision-error.png"), full_page=True)


@pytest.mark.browser
def test_ministry_dashboard_draws_its_charts_offline(browser, live_server, users):
    from reporting.models import ReportKind, ReportSnapshot
    from reporting.reference import load_indicators
    from reporting.services import run_snapshot
    from settlement.tests import report_data

    report_data.build()
    load_indicators()
    run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=6).pk)
    run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.GOALS, year=2025).pk)
    page = _login(browser, live_server, "bld")
    # Only the app's own server is reachable: any request elsewhere (a CDN) fails the test.
    outside = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(live_server.url) else None)
    page.goto(f"{live_server.url}/rapportering/")
    expect(page.get_by_test_id("kpi-settled-ytd")).to_have_text("10")
    drawn = page.evaluate("""() => ['chart-series', 'chart-wait', 'chart-regions'].map(id => {
        const chart = Chart.getChart(document.getElementById(id));
        return chart ? chart.data.datasets.length : 0; })""")
    assert drawn == [3, 1, 4]
    assert outside == []
    expect(page.locator("#goal-table")).to_contain_text("D1.1")
    page.screenshot(path=str(ARTIFACTS / "ministry-dashboard.png"), full_page=True)
