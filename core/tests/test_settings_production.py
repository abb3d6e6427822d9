"""Production settings keep database connections (issue 14: a new PostgreSQL connection per request cost a third of
the load test's throughput, 58-68 against 93-105 requests a second)."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _in_production(code: str, **env):
    """Runs `code` (which prints one JSON value last) in a fresh process with production settings and `env`."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL", "REDIS"))}
    clean.update(DJANGO_SETTINGS_MODULE="imdi.settings.production", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
                 DATABASE_URL="postgres://app@db.example:5432/imdi", **env)
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _settings(expression: str, **env):
    """Evaluates `expression` (over `settings`) with production settings and `env`."""
    return _in_production(
        f"import django; django.setup(); from django.conf import settings; import json; print(json.dumps({expression}))", **env)


def _database_settings(**env):
    return _settings("[settings.DATABASES['default'][k] for k in ('CONN_MAX_AGE', 'CONN_HEALTH_CHECKS')]", **env)


def test_production_keeps_connections_for_a_minute_and_checks_them_before_use():
    assert _database_settings() == [60, True]
    assert _database_settings(DJANGO_CONN_MAX_AGE="0") == [0, True]  # a pooler in front may want them closed


def _cache_settings(**env):
    return _settings("[settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], settings.CACHES['default'].get('LOCATION', '')]",
                     **env)


def test_production_shares_the_cache_through_redis_apart_from_the_broker():
    """Cached figures (core.caching) are shared by the gunicorn workers when Redis is there (issue 14)."""
    assert _cache_settings(REDIS_URL="redis://redis:6379/0") == ["RedisCache", "redis://redis:6379/1"]
    assert _cache_settings(REDIS_URL="redis://redis:6379") == ["RedisCache", "redis://redis:6379/1"]
    assert _cache_settings(REDIS_URL="redis://redis:6379/0", REDIS_CACHE_URL="redis://cache:6379/3") == ["RedisCache", "redis://cache:6379/3"]
    assert _cache_settings() == ["LocMemCache", ""]


def test_the_wsgi_application_freezes_its_start_up_objects():
    """gunicorn's workers start with Django, the apps and every view out of the collector's generations (a full
    collection over them was the load test's tail, issue 14)."""
    assert _in_production("import gc, json, sys; import imdi.wsgi; "
                          "print(json.dumps([gc.get_freeze_count() > 50000, 'settlement.views' in sys.modules]))") == [True, True]
