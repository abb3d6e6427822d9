"""Views every app shares: the home page and the form-to-service mixin."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.views import View

from . import policy
from .roles import RoleRequiredMixin


class ServiceFormMixin:
    """Runs a service call for a bound form. A ValidationError goes onto the form (by field where the
    service names one), so the user sees it next to their input instead of losing it."""

    def call_service(self, form, service, *args, **kwargs):
        """Return (True, result) when the service succeeded, (False, None) when it refused the input."""
        try:
            return True, service(*args, **kwargs)
        except ValidationError as exc:
            add_service_errors(form, exc)
            return False, None


def add_service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)


class HomeView(RoleRequiredMixin, View):
    """Each role's start page."""

    permission = "core.home"

    def get(self, request):
        if self.actor.is_imdi:
            return redirect("settlement:work_queue")
        if self.actor.is_municipality:
            return redirect("settlement:inbox")
        if self.actor.is_ministry:
            return redirect("reporting:dashboard")
        if self.actor.is_reception_centre:
            return redirect("settlement:reception")
        if policy.can(self.actor, "settlement.follow_minors"):  # Bufetat's web users
            return redirect("settlement:minors")
        raise PermissionDenied("Denne brukeren har bare tilgang til API-et.")
