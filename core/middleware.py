"""Security middleware: Content-Security-Policy with nonces, no caching of pages with personal data, idle timeout."""

import base64
import hashlib
import re
import time

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.utils.cache import add_never_cache_headers

_INLINE_BLOCK = re.compile(rb"<(script|style)(?![^>]*\bsrc=)[^>]*>(.*?)</\1>", re.S | re.I)


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy (settings.CONTENT_SECURITY_POLICY), plus a per-view exception for third-party
    pages whose templates we do not own (drf-spectacular's Swagger UI): their inline <script>/<style>
    blocks are allowed by the SHA-256 of exactly what was served, never by 'unsafe-inline'.
    The views are named in settings.CSP_HASH_INLINE_VIEWS; their templates carry no user input.
    """

    def process_response(self, request, response):
        match = getattr(request, "resolver_match", None)
        if (match is not None and match.view_name in getattr(settings, "CSP_HASH_INLINE_VIEWS", ())
                and response.get("Content-Type", "").startswith("text/html") and not response.streaming):
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            hashes = {"script-src": [], "style-src": []}
            for tag, body in _INLINE_BLOCK.findall(response.content):
                digest = base64.b64encode(hashlib.sha256(body).digest()).decode()
                hashes[f"{tag.decode().lower()}-src"].append(f"'sha256-{digest}'")
            update = {k: v for k, v in hashes.items() if v}
            if update:
                response._csp_update = {**getattr(response, "_csp_update", {}), **update}
        return super().process_response(request, response)


class NoStoreMiddleware:
    """Pages, exports and API answers for a signed-in user or a token are never stored by a browser or proxy.

    Runs after AuthenticationMiddleware. An API call with a token is anonymous at this level (DRF
    authenticates in the view), so an Authorization header counts as authenticated too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or "HTTP_AUTHORIZATION" in request.META:
            add_never_cache_headers(response)
        return response


LAST_SEEN = "_last_seen"
# The session is renewed at most once a minute: an idle session ends 29 to 30 minutes after the last request.
RENEW_AFTER_SECONDS = 60


class SessionIdleTimeoutMiddleware:
    """Sessions end after settings.SESSION_COOKIE_AGE (30 minutes) without a request.

    The stored session (and cookie) expires SESSION_COOKIE_AGE after it was last saved; this renews it
    when a signed-in user makes a request more than a minute after the last renewal, rather than
    writing the session on every request (SESSION_SAVE_EVERY_REQUEST costs a query per page).
    Runs after SessionMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(LAST_SEEN) is not None:
            now = int(time.time())
            if now - session[LAST_SEEN] >= RENEW_AFTER_SECONDS:
                session[LAST_SEEN] = now
        return self.get_response(request)


@receiver(user_logged_in)
def _start_idle_clock(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[LAST_SEEN] = int(time.time())
