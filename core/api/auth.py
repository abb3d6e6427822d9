"""API authentication with scoped tokens, and the scope check every API view uses."""

import hashlib
import secrets
from datetime import timedelta

from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions, permissions

from core.models import ApiScope, ApiToken, Role
from core.roles import actor_for

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


def issue_token(user, name: str, scopes, days: int | None = 365) -> tuple[ApiToken, str]:
    """Create a token; the raw key is returned once and never stored."""
    unknown = set(scopes) - set(ApiScope.values)
    if unknown:
        raise ValueError(f"Ukjente tilganger: {', '.join(sorted(unknown))}")
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        name=name, user=user, prefix=key[:8], key_hash=hash_key(key), scopes=sorted(set(scopes)),
        expires_at=timezone.now() + timedelta(days=days) if days else None,
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


class HasScope(permissions.BasePermission):
    """The view's `required_scopes` maps a method to the scopes of which one is needed."""

    message = "Nøkkelen mangler tilgang til dette."

    def has_permission(self, request, view):
        if not request.user or not request.user.is_authenticated:
            return False
        required = view.required_scopes.get(request.method, view.required_scopes.get("*", ()))
        if isinstance(required, str):
            required = (required,)
        return bool(set(required) & scopes_of(request))


class ScopedTokenScheme(OpenApiAuthenticationExtension):
    """Documents the token scheme in the OpenAPI schema."""

    target_class = ScopedTokenAuthentication
    name = "TokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "«Token <nøkkel>». Nøkkelens tilganger (scopes) avgjør hva den kan lese og skrive."}
