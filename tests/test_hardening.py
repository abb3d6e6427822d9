"""Hardening: deploy checks, login rate limiting, no personal data in logs, audit coverage, broker outages."""

import logging
import os
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from grants import services as grant_services
from core.jobs import flush_queued_jobs
from core.logging import RedactPersonalData, redact
from core.models import QueuedJob
from settlement import services
from settlement.models import MunicipalDecision, Person
from core.testing import PASSWORD
from tests.conftest import REDIS_URL, celery_app, worker_for

ROOT = Path(__file__).resolve().parent.parent


def test_check_deploy_is_clean_with_production_settings():
    # A clean production environment: nothing a test (e.g. the browser tests) set in this process.
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env = {**env, "DJANGO_SETTINGS_MODULE": "imdi.settings.production", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
           "DJANGO_ALLOWED_HOSTS": "bosetting.imdi.no", "DATABASE_URL": "sqlite:////tmp/imdi-deploy-check.sqlite3"}
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # The production static files build (hashed names, compressed), as the Docker image does.
    static = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput"], cwd=ROOT, capture_output=True, text=True,
                            env={**env, "DJANGO_STATIC_ROOT": "/tmp/imdi-static-test"}, timeout=300)
    assert static.returncode == 0, static.stderr[-2000:]
    # And the app refuses to start in production with the development key.
    env["DJANGO_SECRET_KEY"] = ""
    env.pop("DJANGO_SECRET_KEY")
    refused = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "DJANGO_SECRET_KEY" in refused.stderr


def _clean_env(**extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return {**env, **extra}


def _settings_value(name, env):
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_debug_is_off_unless_django_debug_is_set(tmp_path):
    base = _clean_env(DJANGO_SETTINGS_MODULE="imdi.settings.base")
    assert _settings_value("DEBUG", base) == "False"
    assert _settings_value("DEBUG", {**base, "DJANGO_DEBUG": "true"}) == "True"
    assert _settings_value("DEBUG", {**base, "DJANGO_DEBUG": "false"}) == "False"
    # Production is never in debug mode, whatever the environment says.
    prod = _clean_env(DJANGO_SETTINGS_MODULE="imdi.settings.production", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
                      DJANGO_DEBUG="true")
    assert _settings_value("DEBUG", prod) == "False"


def test_production_refuses_the_development_secret_key():
    from imdi.settings.base import DEV_SECRET_KEY

    env = _clean_env(DJANGO_SETTINGS_MODULE="imdi.settings.production", DJANGO_SECRET_KEY=DEV_SECRET_KEY)
    refused = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert refused.returncode != 0 and "DJANGO_SECRET_KEY" in refused.stderr


def _compose_defaults() -> dict[str, str]:
    """docker-compose.yml's app environment with every ${VAR:-default} at its default (required ones get a value)."""
    import re

    import yaml

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    env = {}
    for key, value in compose["x-app"]["environment"].items():
        value = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(value))
        env[key] = re.sub(r"\$\{[A-Z_]+:\?[^}]*\}", secrets.token_urlsafe(50), value)
    return env


def test_check_deploy_is_clean_with_docker_compose_defaults():
    compose = _compose_defaults()
    assert compose["DJANGO_SETTINGS_MODULE"] == "imdi.settings.production"
    # The database host "db" exists only inside compose; the deploy check does not connect to it.
    env = _clean_env(**{**compose, "DATABASE_URL": "sqlite:////tmp/imdi-compose-check.sqlite3"})
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_login_is_rate_limited(users):
    client = Client(REMOTE_ADDR="10.1.2.3")
    for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("login"), {"username": "oslo", "password": "feil"})
        assert response.status_code == 200 and "Feil brukernavn eller passord" in response.content.decode()
    assert client.post(reverse("login"), {"username": "oslo", "password": "feil"}).status_code == 429
    locked = client.post(reverse("login"), {"username": "oslo", "password": PASSWORD})
    assert locked.status_code == 429
    assert "For mange mislykkede innlogginger" in locked.content.decode()
    assert "_auth_user_id" not in client.session
    # The address is locked for every user now (test_security.py: per username and per address) ...
    assert client.post(reverse("login"), {"username": "bergen", "password": PASSWORD}).status_code == 429
    # ... while another user from another address still logs in.
    other = Client(REMOTE_ADDR="10.7.7.7").post(reverse("login"), {"username": "bergen", "password": PASSWORD})
    assert other.status_code == 302


def test_personal_numbers_are_masked_in_logs():
    assert redact("GET /bosetting/?q=202500001234 for 01019012345") == "GET /bosetting/?q=[personnr] for [personnr]"
    assert redact("fordelingsliste 12, kommune 0301, år 2026") == "fordelingsliste 12, kommune 0301, år 2026"
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Not Found: %s", ("/api/v1/persons/?duf=202612345678",), None)
    assert RedactPersonalData().filter(record) and record.getMessage() == "Not Found: /api/v1/persons/?duf=[personnr]"
    handlers = django_settings.LOGGING["handlers"]
    assert all("redact" in h.get("filters", []) for h in handlers.values())


def test_our_own_logs_carry_no_personal_data(caplog, ref, actors, make_household, decide, today, django_capture_on_commit_callbacks):
    caplog.set_level(logging.DEBUG)
    decide(ref["oslo"], places=5)
    household = make_household(size=2, last="Tesfamariam")
    with django_capture_on_commit_callbacks(execute=True):
        dlist = services.propose_households(actors["cw_ost"], municipality=ref["oslo"], household_ids=[household.pk],
                                            reply_deadline=today + timedelta(days=3))
    services.accept_proposal(actors["oslo"], dlist.proposals.get())
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "notified municipality 0301" in text
    for p in household.persons.all():
        assert p.duf_number not in text and p.last_name not in text


def test_audit_log_covers_persons_decisions_and_grants(ref, users, actors, make_household, decide, today):
    decide(ref["oslo"], places=5)
    services.record_decision(actors["oslo"], municipality=ref["oslo"], year=today.year, places=7, decided_on=today)
    assert [(h.places, h.history_user) for h in MunicipalDecision.history.order_by("history_date")] == [(5, None), (7, users["oslo"])]
    household = make_household()
    person = household.persons.get()
    dlist = services.propose_households(actors["cw_ost"], municipality=ref["oslo"], household_ids=[household.pk],
                                        reply_deadline=today + timedelta(days=3))
    services.accept_proposal(actors["oslo"], dlist.proposals.get())
    services.assign_household(actors["cw_ost"], household, assigned_on=today)
    services.register_settlement(actors["oslo"], household, dates={person.pk: today})
    person_history = list(Person.history.filter(id=person.pk).order_by("history_date"))
    assert [(h.history_type, h.settled_on, h.history_user) for h in person_history] == [
        ("+", None, users["admin"]), ("~", today, users["oslo"])]

    from grants.reference import load_grant_schemes

    load_grant_schemes(years=[today.year])
    from grants.models import GrantYear

    gy = GrantYear.objects.get(scheme__code="jobbsjansen", year=today.year)
    app = grant_services.submit_application(actors["oslo"], grant_year=gy, title="T", description="D",
                                            amount_requested=Decimal("1000"), municipality=ref["oslo"])
    grant_services.assess_application(actors["cw_ost"], app, assessment="OK", recommended_amount=Decimal("1000"))
    assert [(h.status, h.history_user) for h in app.history.order_by("history_date")] == [
        ("submitted", users["oslo"]), ("assessed", users["cw_ost"])]


@pytest.mark.celery_worker
def test_web_keeps_working_while_redis_is_down_and_jobs_run_when_it_is_back(transactional_db, ref, users, actors, make_household,
                                                                           decide, today):
    decide(ref["oslo"], places=5)
    household = make_household(size=2)
    # Redis is "down": nothing listens on this port.
    with celery_app("redis://127.0.0.1:6399/0"):
        client = Client()
        client.force_login(users["cw_ost"])
        started = time.monotonic()
        response = client.post(reverse("settlement:distribution_list_new"), {
            "municipality": ref["oslo"].pk, "year": today.year, "reply_deadline": (today + timedelta(days=7)).isoformat(),
            "households": [household.pk]})
        assert response.status_code == 302  # the page works; the change is saved
        assert time.monotonic() - started < 10
        household.refresh_from_db()
        assert household.status == "proposed"
        job = QueuedJob.objects.get()
        assert job.task_name == "settlement.tasks.notify_distribution_list"
        assert client.get(reverse("settlement:work_queue")).status_code == 200
        assert flush_queued_jobs() == 0 and QueuedJob.objects.count() == 1  # still down: kept

    # Redis is back: the kept job is sent and a real worker runs it.
    with celery_app(REDIS_URL) as up, worker_for(up):
        assert flush_queued_jobs() == 1
        deadline = time.monotonic() + 30
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.1)
    assert not QueuedJob.objects.exists()
    assert mail.outbox and mail.outbox[0].subject.startswith("Forslag om bosetting: 1 husstander")
