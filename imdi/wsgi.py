import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imdi.settings.production")
application = get_wsgi_application()


def _freeze_start_up():
    """Moves the start-up objects (Django, the apps, every view and URL pattern) out of the collector's generations,
    so that a full collection scans only what requests make: it took up to 0.4 s on one request at demo scale 5, the
    tail of the load test's p95 (issue 14). The documented use of gc.freeze."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every view now rather than on the first request
    gc.collect()
    gc.freeze()


_freeze_start_up()
