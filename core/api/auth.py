"""API authentication with scoped tokens, and the scope check every API view uses."""

import hashlib
import secrets
from dataclasses import replace
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions, throttling

from core import policy
from core.models import ApiScope, ApiToken, Role
from core.roles import Actor, actor_for

# What a browser session may do through the API, by role: the same as in the web pages.
SESSION_SCOPES = {
    Role.NATIONAL_ADMIN: {ApiScope.SETTLEMENT_READ, ApiScope.AGGREGATES_READ, ApiScope.REPORTS_READ, ApiScope.GRANTS_READ,
                          ApiScope.AGREEMENTS_READ},
    Role.CASEWORKER: {ApiScope.SETTLEMENT_READ, ApiScope.AGGREGATES_READ, ApiScope.REPORTS_READ, ApiScope.GRANTS_READ,
                      ApiScope.AGREEMENTS_READ},
    Role.MUNICIPALITY: {ApiScope.SETTLEMENT_READ, ApiScope.GRANTS_READ, ApiScope.AGREEMENTS_READ},
    Role.MINISTRY: {ApiScope.AGGREGATES_READ, ApiScope.REPORTS_READ},
    Role.AGENCY: set(),
}


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


# Every token expires: a leaked key works for a year at most.
MAX_TOKEN_DAYS = 365


def issue_token(user, name: str, scopes, days: int = MAX_TOKEN_DAYS) -> tuple[ApiToken, str]:
    """Create a token valid for 1 to 365 days; the raw key is returned once and never stored."""
    unknown = set(scopes) - set(ApiScope.values)
    if unknown:
        raise ValidationError(f"Ukjente tilganger: {', '.join(sorted(unknown))}", code="unknown_scope")
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_TOKEN_DAYS:
        raise ValidationError(f"En nøkkel må utløpe etter 1 til {MAX_TOKEN_DAYS} dager.", code="invalid_token_lifetime")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name, user=user, prefix=key[:8], key_hash=hash_key(key), scopes=sorted(set(scopes)),
        expires_at=timezone.now() + timedelta(days=days),
    )
    return token, key


class ScopedTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Ugyldig Authorization-header.")
        try:
            key = header[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed("Ugyldig nøkkel.")
        token = ApiToken.objects.select_related("user", "user__profile").filter(key_hash=hash_key(key)).first()
        if token is None or token.revoked or not token.user.is_active:
            raise exceptions.AuthenticationFailed("Ugyldig eller tilbaketrukket nøkkel.")
        if token.expires_at and token.expires_at < timezone.now():
            raise exceptions.AuthenticationFailed("Nøkkelen er utløpt.")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        return token.user, token

    def authenticate_header(self, request):
        return self.keyword


def scopes_of(request) -> set[str]:
    if isinstance(request.auth, ApiToken):
        return set(request.auth.scopes)
    actor = actor_for(request.user)
    return set(SESSION_SCOPES.get(actor.role, set()))


def api_actor(request) -> Actor:
    """The caller as core.policy sees it: the user's role and scope, and for a token its scopes (so that
    visible_to can give an agency only what its token allows)."""
    actor = actor_for(request.user)
    if isinstance(request.auth, ApiToken):
        return replace(actor, scopes=frozenset(request.auth.scopes))
    return actor


class HasScope(permissions.BasePermission):
    """The view's `required_scopes` maps a method to the scopes of which one is needed, and its
    `permission` names the core.policy action the caller's role must have (the same table as the pages)."""

    message = "Nøkkelen mangler tilgang til dette."

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        if not policy.can(actor_for(request.user), view.permission):
            return False
        required = view.required_scopes.get(request.method, view.required_scopes.get("*", ()))
        if isinstance(required, str):
            required = (required,)
        return bool(set(required) & scopes_of(request))


class CallerRateThrottle(throttling.SimpleRateThrottle):
    """Requests per token, per signed-in user, or per address for anonymous callers.

    Rates come from settings.API_THROTTLE_RATES (read per request, so tests and the environment can
    set them). A token is keyed by its hash, a user by id and creation time, so that neither a new
    token nor a re-created user inherits another's count.
    """

    def get_rate(self):
        return settings.API_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        self.scope = self.scope_for(request)
        self.rate = self.get_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    @staticmethod
    def scope_for(request) -> str:
        if isinstance(request.auth, ApiToken):
            return "token"
        if request.user and request.user.is_authenticated:
            return "user"
        return "anon"

    def get_cache_key(self, request, view):
        if self.scope == "token":
            ident = request.auth.key_hash
        elif self.scope == "user":
            ident = f"{request.user.pk}:{request.user.date_joined.timestamp()}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ScopedTokenScheme(OpenApiAuthenticationExtension):
    """Documents the token scheme in the OpenAPI schema."""

    target_class = ScopedTokenAuthentication
    name = "TokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "«Token <nøkkel>». Nøkkelens tilganger (scopes) avgjør hva den kan lese og skrive."}
