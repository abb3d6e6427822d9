"""What the browser tests share: Debian's chromium, logging in from the site's address, screenshots for a person
to look at (test-artifacts/), and the main menu. The `browser` fixture is in tests/conftest.py."""

import os
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from core.testing import PASSWORD

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # the live server and the test share the database

CHROMIUM = "/usr/bin/chromium"  # Debian's chromium, never `playwright install`
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


@contextmanager
def chromium():
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync", "--no-first-run"],
        )
        try:
            yield browser
        finally:
            browser.close()


def login(browser, live_server, username):
    page = browser.new_context(locale="nb-NO", viewport={"width": 1366, "height": 900}).new_page()
    page.goto(f"{live_server.url}/")  # the one address typed: the site itself, which asks for a login
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    return page


def shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def menu(page, label):
    page.locator("#hovedmeny").get_by_role("link", name=label, exact=True).click()
