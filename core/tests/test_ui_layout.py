"""The site layout: the role's menu from one definition, aria-current, skip link, Norwegian error pages, favicon."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.views.defaults import server_error

from core.navigation import menu_for
from core.roles import actor_for
from core.testing import PASSWORD

pytestmark = pytest.mark.django_db

STAFF_MENU = [
    ("Arbeidskø", "/bosetting/"),
    ("Ny husstand", "/bosetting/husstander/ny/"),
    ("Fordelingslister", "/bosetting/fordelingslister/"),
    ("Utsøking", "/bosetting/utsoking/"),
    ("Kapasitet", "/bosetting/kapasitet/"),
    ("Anmodninger", "/bosetting/anmodninger/"),
    ("Anmodningsplan", "/bosetting/anmodninger/plan/"),
    ("Kontaktregister", "/bosetting/anmodninger/kontakter/"),
    ("Registrer vedtak", "/bosetting/anmodninger/vedtak/"),
    ("Oversikt", "/bosetting/oversikt/"),
    ("Enslige mindreårige", "/bosetting/enslige-mindrearige/"),
    ("Refusjon", "/bosetting/enslige-mindrearige/refusjon/"),
    ("Tilskudd", "/tilskudd/"),
    ("Søknader", "/tilskudd/soknader/"),
    ("Krav", "/tilskudd/krav/"),
    ("Avtaler", "/avtaler/oppfolging/"),
    ("Alle avtaler", "/avtaler/"),
    ("Rapportering", "/rapportering/"),
    ("Rapporter", "/rapportering/rapporter/"),
    ("Måloppnåelse", "/rapportering/maloppnaelse/"),
]
MUNICIPALITY_MENU = [
    ("Innboks", "/bosetting/kommune/innboks/"),
    ("Vedtak", "/bosetting/kommune/vedtak/"),
    ("Bosetting", "/bosetting/kommune/bosetting/"),
    ("Anmodninger", "/bosetting/anmodninger/"),
    ("Fordelingslister", "/bosetting/fordelingslister/"),
    ("Tilskudd", "/tilskudd/"),
    ("Søknader", "/tilskudd/soknader/"),
    ("Krav", "/tilskudd/krav/"),
    ("Avtaler", "/avtaler/"),
]
MINISTRY_MENU = [
    ("Rapportering", "/rapportering/"),
    ("Måloppnåelse", "/rapportering/maloppnaelse/"),
    ("Rapporter", "/rapportering/rapporter/"),
    ("Oversikt", "/bosetting/oversikt/"),
    ("Tilskudd", "/tilskudd/"),
    ("Avtaler", "/avtaler/bosetting/"),
]
EXPECTED = {
    "cw_ost": STAFF_MENU,
    "admin": STAFF_MENU + [("Grunndata", "/admin/")],
    "oslo": MUNICIPALITY_MENU,
    "ministry": MINISTRY_MENU,
}


def flat(links):
    return [(c.label, c.url) for link in links for c in (link, *link.children)]


def login(client, user):
    client.force_login(user)
    return client


def nav_html(html):
    return re.search(r'<nav id="hovedmeny".*?</nav>', html, re.S).group(0)


@pytest.fixture(autouse=True)
def _admin_is_staff(users):
    users["admin"].is_staff = True  # as the demo's admin: Django admin (Grunndata) needs is_staff
    users["admin"].save()


def test_grunndata_only_for_staff_users(users):
    users["admin"].is_staff = False
    assert ("Grunndata", "/admin/") not in flat(menu_for(actor_for(users["admin"])))


@pytest.mark.parametrize("who", list(EXPECTED))
def test_menu_per_role(users, who):
    assert flat(menu_for(actor_for(users[who]))) == EXPECTED[who]


@pytest.mark.parametrize("who", list(EXPECTED))
def test_every_menu_link_opens_for_its_role(client, users, who):
    """The menu offers only pages the access policy lets the role open: no link answers 403."""
    login(client, users[who])
    for label, url in EXPECTED[who]:
        response = client.get(url)
        assert response.status_code == 200, (who, label, url, response.status_code)


def test_staff_menu_reaches_grant_applications_and_claims_in_one_click(client, users):
    html = login(client, users["cw_ost"]).get("/bosetting/", follow=True).content.decode()
    nav = nav_html(html)
    assert 'href="/tilskudd/soknader/">Søknader</a>' in nav
    assert 'href="/tilskudd/krav/">Krav</a>' in nav


def test_active_item_has_aria_current_and_layout_has_skip_link(client, users):
    html = login(client, users["cw_ost"]).get("/tilskudd/krav/").content.decode()
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', nav_html(html)) == ["/tilskudd/krav/"]
    assert '<a class="ds-skip-link" href="#hovedinnhold">Hopp til hovedinnhold</a>' in html
    assert '<main id="hovedinnhold" tabindex="-1">' in html
    assert 'aria-controls="hovedmeny"' in html  # the toggle for narrow screens
    # A page below a menu item marks that item: a household page belongs to the work queue.
    html = client.get("/bosetting/husstander/ny/").content.decode()
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', nav_html(html)) == ["/bosetting/husstander/ny/"]
    html = client.get("/bosetting/fordelingslister/ny/").content.decode()
    assert re.findall(r'<a href="([^"]+)" aria-current="page">', nav_html(html)) == ["/bosetting/fordelingslister/"]


def test_layout_loads_designsystemet_from_static_files(client, users):
    html = login(client, users["oslo"]).get("/bosetting/kommune/innboks/").content.decode()
    assert "/static/vendor/designsystemet/theme.css" in html
    assert "/static/vendor/designsystemet/designsystemet.css" in html
    assert "https://" not in re.search(r"<head>.*?</head>", html, re.S).group(0)  # no CDN
    for path in ("vendor/designsystemet/theme.css", "vendor/designsystemet/designsystemet.css",
                 "vendor/designsystemet/LICENSE", "imdi/app.js", "imdi/favicon.ico"):
        assert finders.find(path), path
    assert " style=" not in html.split("<main")[0]  # no inline styles in the layout


def test_forbidden_page_is_norwegian_in_the_site_layout(client, users):
    response = login(client, users["oslo"]).get("/bosetting/")  # the work queue is IMDi's
    html = response.content.decode()
    assert response.status_code == 403
    assert "Du har ikke tilgang til denne siden" in html
    assert "Forbidden" not in html
    assert 'id="hovedmeny"' in html and 'href="/bosetting/kommune/innboks/">Innboks</a>' in html


def test_not_found_page_is_norwegian(client, users, settings):
    settings.DEBUG = False
    response = login(client, users["oslo"]).get("/finnes-ikke/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Vi fant ikke siden" in html and "Feilkode 404" in html
    assert "Not Found" not in html


def test_server_error_page_needs_no_request_context():
    html = render_to_string("500.html")  # Django renders it with an empty context
    assert "Noe gikk galt hos oss" in html and 'lang="nb"' in html
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Feilkode 500" in response.content.decode()


def test_csrf_failure_page_is_norwegian(users):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/logg-inn/", {"username": "oslo", "password": PASSWORD})
    assert response.status_code == 403
    html = response.content.decode()
    assert "Skjemaet kunne ikke sendes" in html
    assert "CSRF verification failed" not in html


def test_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/imdi/favicon.ico"
