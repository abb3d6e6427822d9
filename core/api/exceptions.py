"""The API's error body: every 400 and 403 carries the Norwegian message and a stable code per field."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.views import exception_handler as drf_exception_handler


def _detail(error: DjangoValidationError) -> list:
    return [exceptions.ErrorDetail(e.message % e.params if e.params else e.message, code=e.code or "invalid")
            for e in error.error_list]


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = {field: _detail(DjangoValidationError(errors)) for field, errors in exc.error_dict.items()}
            if "__all__" in detail:
                detail["non_field_errors"] = detail.pop("__all__")
        else:
            detail = {"non_field_errors": _detail(exc)}
        exc = exceptions.ValidationError(detail)
    elif isinstance(exc, exceptions.Throttled):
        wait = f" Prøv igjen om {exc.wait:.0f} sekunder." if exc.wait is not None else ""
        waited = exc.wait
        # Built without `wait`, so DRF appends no English sentence; the Retry-After header still follows `wait`.
        exc = exceptions.Throttled(detail="For mange forespørsler." + wait, code="throttled")
        exc.wait = waited
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None, code=getattr(exc, "code", "permission_denied"))
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.APIException):
        # {"field": [{"message": "...", "code": "..."}]} for field errors; {"message", "code"} otherwise.
        response.data = exc.get_full_details()
    return response
