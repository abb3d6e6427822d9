"""Hardening of the web and the API: throttling, CSP, no-store, session idle timeout, passwords, token lifetime,
login lockout, CSV formula injection. (Settings and the deploy check are in test_hardening.py.)"""

import csv
import io
import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.contrib.auth.password_validation import validate_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from core.api.auth import issue_token
from core.csv import csv_response, safe_cell
from core.errors import error_codes
from core.models import ApiToken
from core.testing import PASSWORD
from settlement import services
from settlement.models import Category
from settlement.tests.factories import person


# --- API throttling ------------------------------------------------------------------------------


@pytest.fixture
def low_rates(settings):
    settings.API_THROTTLE_RATES = {"token": "3/minute", "user": "3/minute", "anon": "3/minute"}
    cache.clear()
    yield
    cache.clear()


def test_api_throttles_per_token_with_a_norwegian_429(low_rates, users):
    _, key = issue_token(users["admin"], "t", ["settlement:read"])
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert [client.get("/api/v1/households/").status_code for _ in range(3)] == [200, 200, 200]
    limited = client.get("/api/v1/households/")
    assert limited.status_code == 429
    assert limited.json()["code"] == "throttled" and limited.json()["message"].startswith("For mange forespørsler.")
    assert int(limited["Retry-After"]) > 0
    # The count is the token's: another token of the same user has its own.
    _, other = issue_token(users["admin"], "t2", ["settlement:read"])
    assert APIClient(HTTP_AUTHORIZATION=f"Token {other}").get("/api/v1/households/").status_code == 200


def test_api_throttles_per_signed_in_user(low_rates, users):
    client = APIClient()
    client.force_login(users["cw_ost"])
    assert [client.get("/api/v1/municipalities/").status_code for _ in range(4)] == [200, 200, 200, 429]
    other = APIClient()
    other.force_login(users["cw_vest"])
    assert other.get("/api/v1/municipalities/").status_code == 200


def test_default_rates_stop_enumeration_and_come_from_the_environment():
    count, period = settings.API_THROTTLE_RATES["token"].split("/")
    assert int(count) <= 600 and period == "minute"
    assert "core.api.auth.CallerRateThrottle" in settings.REST_FRAMEWORK["DEFAULT_THROTTLE_CLASSES"]


# --- Content-Security-Policy and Cache-Control ------------------------------------------------------


def _csp(response) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in response["Content-Security-Policy"].split(";") if d.strip()}


def test_pages_have_a_strict_csp_and_inline_scripts_carry_its_nonce(client, users):
    client.force_login(users["admin"])
    pages = [reverse("settlement:work_queue"), reverse("reporting:dashboard"), reverse("agreements:comparison")]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        policy = _csp(response)
        assert policy["default-src"] == ["'self'"]
        for directive in ("script-src", "style-src"):
            assert "'unsafe-inline'" not in policy[directive] and "'unsafe-eval'" not in policy[directive]
        html = response.content.decode()
        assert not re.search(r"\son[a-z]+=", html), f"inline event handler on {url}"
        nonces = set(re.findall(r"'nonce-([^']+)'", " ".join(policy["script-src"])))
        for tag in re.findall(r"<(?:script|style)(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html):
            assert re.search(r'nonce="([^"]+)"', tag) and re.search(r'nonce="([^"]+)"', tag).group(1) in nonces, (url, tag)


def test_swagger_ui_is_allowed_by_the_hash_of_exactly_its_inline_blocks(client, users):
    import base64
    import hashlib

    client.force_login(users["cw_ost"])  # the docs are for signed-in users and tokens (issue 9)
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    policy = _csp(response)
    assert "'unsafe-inline'" not in policy["script-src"] + policy["style-src"]
    blocks = re.findall(r"<(script|style)(?![^>]*\bsrc=)[^>]*>(.*?)</\1>", response.content.decode(), re.S)
    assert blocks
    for tag, body in blocks:
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy[f"{tag}-src"]
    # Other pages do not get those hashes.
    client.logout()
    assert "sha256" not in client.get(reverse("login"))["Content-Security-Policy"]


def test_signed_in_pages_and_exports_are_never_stored(client, users, make_household):
    make_household()
    anonymous = client.get("/api/v1/docs/")
    assert "no-store" not in anonymous.get("Cache-Control", "")
    client.force_login(users["cw_ost"])
    for url in (reverse("settlement:work_queue"), reverse("settlement:work_queue") + "?format=csv",
                reverse("reporting:dashboard")):
        assert "no-store" in client.get(url)["Cache-Control"], url
    _, key = issue_token(users["admin"], "t", ["settlement:read"])
    assert "no-store" in APIClient(HTTP_AUTHORIZATION=f"Token {key}").get("/api/v1/households/")["Cache-Control"]


def test_report_exports_in_excel_and_pdf_are_never_stored(client, users, actors, django_capture_on_commit_callbacks):
    from reporting import services as report_services
    from reporting.models import ReportKind

    with django_capture_on_commit_callbacks(execute=True):
        snapshot = report_services.request_snapshot(actors["admin"], kind=ReportKind.MONTHLY, year=2025, month=6)
    client.force_login(users["admin"])
    for fmt in ("xlsx", "pdf", "csv"):
        response = client.get(reverse("reporting:snapshot_export", args=[snapshot.pk, fmt]))
        assert response.status_code == 200, fmt
        assert "no-store" in response["Cache-Control"], fmt


# --- Sessions and passwords --------------------------------------------------------------------------


def test_a_session_idle_for_31_minutes_is_logged_out(users):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client = Client()
        assert client.post(reverse("login"), {"username": "cw_ost", "password": PASSWORD}).status_code == 302
        url = reverse("settlement:work_queue")
        assert client.get(url).status_code == 200
        # Active: a request every 29 minutes keeps the session alive past the 30 minutes.
        traveller.shift(timedelta(minutes=29))
        assert client.get(url).status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get(url).status_code == 200
        # Idle for 31 minutes: logged out.
        traveller.shift(timedelta(minutes=31))
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_weak_admin_password_is_refused(users):
    admin = users["admin"]
    with pytest.raises(ValidationError):
        validate_password("admin12345", user=admin)
    form = AdminPasswordChangeForm(admin, data={"password1": "admin12345", "password2": "admin12345"})
    assert not form.is_valid()
    # The same through Django admin's own page, as a superuser.
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client = Client()
    client.force_login(admin)
    url = reverse("admin:auth_user_password_change", args=[admin.pk])
    response = client.post(url, {"password1": "admin12345", "password2": "admin12345", "usable_password": "true"})
    assert response.status_code == 200  # the form again, with errors; nothing changed
    admin.refresh_from_db()
    assert admin.check_password(PASSWORD)
    validate_password("lang nok passfrase om bosetting", user=admin)  # a passphrase passes


# --- API tokens always expire ------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, -1, 366, 100000])
def test_token_lifetime_is_1_to_365_days(users, days):
    with pytest.raises(ValidationError) as exc:
        issue_token(users["admin"], "t", ["settlement:read"], days=days)
    assert error_codes(exc.value) == {"invalid_token_lifetime"}
    with pytest.raises(CommandError):
        call_command("create_api_token", "admin", "--scopes", "settlement:read", "--days", str(days))
    assert not ApiToken.objects.exists()


def test_every_token_expires_within_a_year(users):
    token, _ = issue_token(users["admin"], "t", ["settlement:read"])
    assert token.expires_at is not None
    assert timedelta(days=364) < token.expires_at - timezone.now() <= timedelta(days=365)
    out = io.StringIO()
    call_command("create_api_token", "admin", "--scopes", "settlement:read", "--days", "1", stdout=out)
    assert ApiToken.objects.get(name="admin token").expires_at <= timezone.now() + timedelta(days=1)
    with pytest.raises(ValidationError) as exc:
        issue_token(users["admin"], "t", ["no:such"])
    assert error_codes(exc.value) == {"unknown_scope"}


# --- Login lockout per username and, separately, per address -------------------------------------------


def _login(address, username, password="feil"):
    return Client(REMOTE_ADDR=address).post(reverse("login"), {"username": username, "password": password}).status_code


def test_one_address_trying_passwords_on_many_users_is_locked(users):
    names = ["oslo", "bergen", "cw_ost", "cw_vest", "bld"]
    codes = [_login("10.9.9.9", name) for name in names for _ in range(4)]
    assert 429 in codes
    assert codes.index(429) == settings.AXES_FAILURE_LIMIT - 1  # the address's fifth failure, on the second user
    # The address is locked even with a right password for a user it has not tried ...
    assert _login("10.9.9.9", "cw_nord", PASSWORD) == 429
    # ... while that user can still log in from elsewhere.
    assert _login("10.1.1.1", "cw_nord", PASSWORD) == 302


def test_one_user_tried_from_many_addresses_is_locked(users):
    codes = [_login(f"10.0.0.{i}", "oslo") for i in range(1, 6)]
    assert codes[-1] == 429
    assert _login("10.0.0.77", "oslo", PASSWORD) == 429
    assert _login("10.0.0.77", "bergen", PASSWORD) == 302


# --- CSV formula injection ------------------------------------------------------------------------


def test_work_queue_csv_escapes_formulas_in_names(client, users, actors, ref):
    today = timezone.localdate()
    services.register_household(actors["admin"], category=Category.RECEPTION_CENTRE, reception_centre=ref["centre"], persons=[
        person(date(1990, 1, 1), today - timedelta(days=10), first='=HYPERLINK("http://x")', last="Ali")])
    client.force_login(users["cw_ost"])
    response = client.get(reverse("settlement:work_queue"), {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    names = [row[1] for row in rows[1:]]
    assert names == ["'=HYPERLINK(\"http://x\") Ali"]


def test_negative_numbers_are_not_mangled():
    assert safe_cell(-5) == -5 and safe_cell(Decimal("-1.50")) == Decimal("-1.50")
    assert [safe_cell(v) for v in ("+47 22", "@sum", "-x", "ok")] == ["'+47 22", "'@sum", "'-x", "ok"]
    response, writer = csv_response("x.csv")
    writer.writerow([-5, Decimal("-1.50"), 0, "=1+1"])
    assert response.content.decode("utf-8-sig").strip() == "-5;-1,50;0;'=1+1"  # decimal comma for Norwegian Excel


def test_no_template_has_inline_script_without_a_nonce():
    """Every inline <script>/<style> block in our templates carries the nonce; no inline event handlers."""
    from pathlib import Path

    root = Path(settings.BASE_DIR)
    offenders = []
    for path in root.glob("*/templates/**/*.html"):
        html = path.read_text()
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            if "src=" not in tag and "nonce=" not in tag and "json" not in tag:
                offenders.append(f"{path.relative_to(root)}: {tag}")
        offenders += [f"{path.relative_to(root)}: {m}" for m in re.findall(r"\son[a-z]+=\"[^\"]*\"", html)]
    assert offenders == []
