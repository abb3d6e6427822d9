"""Errors that services raise, each with a stable code (Saleor-style) next to its Norwegian message.

Services raise Django's own exceptions so forms and views handle them as usual:
- `ValidationError(message, code=...)` or `ValidationError({"field": ValidationError(message, code=...)})`
  for bad input or a refused transition (400 in the API, a form error on a page);
- `Forbidden(message, code=...)`, a PermissionDenied with a code, for a role or scope check (403).
Tests assert the code, never the text.
"""

from django.core.exceptions import PermissionDenied, ValidationError


class Forbidden(PermissionDenied):
    def __init__(self, message="Du har ikke tilgang til denne handlingen.", code="forbidden"):
        super().__init__(message)
        self.message = message
        self.code = code


def field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def error_codes(exc: ValidationError | PermissionDenied) -> set[str]:
    """Every code an exception carries (for tests and logs)."""
    if isinstance(exc, PermissionDenied):
        return {getattr(exc, "code", "permission_denied")}
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}
