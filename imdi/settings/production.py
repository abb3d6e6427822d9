"""Production settings: DEBUG off, a real secret key, HTTPS, static files from whitenoise, kept connections."""

from urllib.parse import urlsplit, urlunsplit

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F401,F403
from .base import DATABASES, DEV_SECRET_KEY, MIDDLEWARE, REDIS_URL, SECRET_KEY, env

DEBUG = False
if not SECRET_KEY or SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured("Set DJANGO_SECRET_KEY: production refuses the repository's development key.")

# Serves the collected static files from gunicorn (CSS and chart assets are vendored, no CDN).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Persistent connections: a new PostgreSQL connection per request halves throughput.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# Only a load test on plain-HTTP loopback turns secure cookies off.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Figures cached by the data's version (core.caching) are shared by every gunicorn worker through Redis; without
# REDIS_URL each worker keeps its own in memory. Database 1, apart from Celery's broker on database 0.
_REDIS_CACHE_URL = env("REDIS_CACHE_URL", default="") or (
    urlunsplit(urlsplit(REDIS_URL)._replace(path="/1")) if REDIS_URL else "")
if _REDIS_CACHE_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_CACHE_URL,
                          "KEY_PREFIX": "imdi"}}
