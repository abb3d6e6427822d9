"""axe-core (vendored from npm, static/vendor/axe-core/) in Debian's chromium: every role's home page and
every link in its menu, at desktop (1366 px) and phone (390 px) widths. No serious or critical violation."""

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import expect, sync_playwright

from core.testing import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ROOT = Path(__file__).resolve().parent.parent
AXE = (ROOT / "static" / "vendor" / "axe-core" / "axe.min.js").read_text()
ARTIFACTS = ROOT / "test-artifacts"
WIDTHS = {"desktop": (1366, 900), "mobile": (390, 844)}
ROLES = {"caseworker": "cw_ost", "municipality": "oslo", "ministry": "bld", "admin": "admin"}
# Violations in page templates outside the layout, known and reported for their pages' owners:
# {(path, axe rule): where}. Only that rule on that page is set aside; a test that meets one of them
# ends as xfail naming it, and passes once it is fixed. Delete an entry when its page is fixed.
KNOWN = {}


@pytest.fixture
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()
        connections.close_all()


@pytest.fixture
def seeded(users, actors, ref, make_household, decide, today):
    """Enough of every kind for pages to show their tables, cards, forms and charts, not empty states."""
    from reporting.models import ReportKind, ReportSnapshot
    from reporting.reference import load_indicators
    from reporting.services import run_snapshot
    from settlement import services
    from settlement.tests import report_data

    users["admin"].is_staff = True  # as the demo's admin, who also opens Django admin (Grunndata)
    users["admin"].save()
    decide(ref["oslo"], places=12)
    households = [make_household(size=size, last=last)
                  for size, last in ((1, "Haile"), (3, "Tesfamariam"), (6, "Abdi"), (2, "Kidane"), (1, "Osman"))]
    services.propose_households(actors["cw_ost"], municipality=ref["oslo"], household_ids=[h.pk for h in households[:3]],
                                reply_deadline=today + timedelta(days=14))
    first = households[0].proposals.get()
    services.accept_proposal(actors["oslo"], first)
    services.assign_household(actors["cw_ost"], households[0])
    # The reporting pages: a month's report and a goal report with their charts.
    report_data.build()
    load_indicators()
    run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=6).pk)
    run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.GOALS, year=2025).pk)
    return users


def serious_violations(page):
    # Injected through the DevTools protocol, not a <script> tag: a Content-Security-Policy can't block it.
    page.evaluate(AXE)
    result = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact)).map(v => ({
            rule: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' :: ' + n.html.slice(0, 160))}));
    }""")
    return result


def login(browser, live_server, username, size):
    # The site's Content-Security-Policy stays on: axe goes in through page.evaluate (DevTools), which
    # the policy does not govern, and anything the policy blocks on a page is reported as a failure.
    context = browser.new_context(locale="nb-NO", viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.csp_errors = []
    page.on("console", lambda m: page.csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{live_server.url}/logg-inn/")
    assert not serious_violations(page), "login page"
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


@pytest.mark.browser
@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("width", list(WIDTHS))
def test_axe_on_home_and_every_menu_page(browser, live_server, seeded, role, width):
    ARTIFACTS.mkdir(exist_ok=True)
    username = ROLES[role]
    page = login(browser, live_server, username, WIDTHS[width])
    page.screenshot(path=str(ARTIFACTS / f"home-{role}-{width}.png"), full_page=True)
    home = page.url.removeprefix(live_server.url)
    links = page.eval_on_selector_all("#hovedmeny a", "els => els.map(a => a.getAttribute('href'))")
    assert len(links) >= 6, links

    toggle = page.locator(".nav-toggle")
    if width == "mobile":
        # The menu collapses behind an accessible toggle and opens on click.
        expect(toggle).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "false")
        expect(page.locator("#hovedmeny")).to_be_hidden()
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        expect(page.locator("#hovedmeny")).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"menu-{role}-{width}.png"), full_page=False)
        # The page itself never scrolls sideways: wide tables scroll inside their own box.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1
    else:
        expect(toggle).to_be_hidden()
        expect(page.locator("#hovedmeny")).to_be_visible()

    failures, known = {}, set()
    for path in [home, *dict.fromkeys(links)]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (path, response.status)
        for violation in serious_violations(page):
            if (path, violation["rule"]) in KNOWN:
                known.add((path, violation["rule"]))
            else:
                failures.setdefault(path, []).append(violation)
        if page.csp_errors:
            failures.setdefault(path, []).append({"rule": "content-security-policy", "blocked": page.csp_errors[:3]})
            page.csp_errors.clear()
        if width == "mobile" and path != "/admin/":
            overflow = page.evaluate("document.documentElement.scrollWidth")
            if overflow > 391:
                failures.setdefault(path, []).append({"rule": "page-wider-than-viewport", "width": overflow})
    assert not failures, json.dumps(failures, ensure_ascii=False, indent=1)
    if known:
        pytest.xfail("known violations in page templates: " + "; ".join(KNOWN[k] for k in sorted(known)))
