"""Who a user is in the system (Actor), and the page check; who may do what is core.policy's."""

from dataclasses import dataclass

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

from . import policy
from .models import Role

# IMDi's own staff: the one spelling of "IMDi roles" that views, services and the API use.
IMDI_ROLES = (Role.CASEWORKER, Role.NATIONAL_ADMIN)


@dataclass(frozen=True)
class Actor:
    """The acting user's role and scope, resolved once per request or service call."""

    user: object
    role: str | None
    region_id: int | None = None
    municipality_id: int | None = None
    agency_id: int | None = None
    can_write: bool = False
    # A reception centre's staff (Role.RECEPTION_CENTRE): the one centre whose residents they see.
    reception_centre_id: int | None = None
    # An API token's scopes; None for a browser session, whose reach follows the role alone (core.policy).
    scopes: frozenset | None = None

    @property
    def role_label(self):
        return Role(self.role).label if self.role else "Uten rolle"

    @property
    def is_imdi(self):
        return self.role in IMDI_ROLES

    @property
    def is_admin(self):
        return self.role == Role.NATIONAL_ADMIN

    @property
    def is_caseworker(self):
        return self.role == Role.CASEWORKER

    @property
    def is_municipality(self):
        return self.role == Role.MUNICIPALITY

    @property
    def is_ministry(self):
        return self.role == Role.MINISTRY

    @property
    def is_reception_centre(self):
        return self.role == Role.RECEPTION_CENTRE


def actor_for(user) -> Actor:
    if user is None or not user.is_authenticated:
        return Actor(user=user, role=None)
    cached = getattr(user, "_imdi_actor", None)
    if cached is not None:
        return cached
    profile = getattr(user, "profile", None)
    if profile is None:
        # A superuser without a profile acts as national admin; anyone else has no role.
        role = Role.NATIONAL_ADMIN if user.is_superuser else None
        actor = Actor(user=user, role=role)
    else:
        actor = Actor(
            user=user,
            role=profile.role,
            region_id=profile.region_id,
            municipality_id=profile.municipality_id,
            agency_id=profile.agency_id,
            can_write=profile.can_write,
            reception_centre_id=profile.reception_centre_id,
        )
    user._imdi_actor = actor
    return actor


class RoleRequiredMixin(LoginRequiredMixin):
    """Lets a view through only for the roles that core.policy gives its `permission` (403 otherwise)."""

    permission: str = ""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.actor = actor_for(request.user)
        if not policy.can(self.actor, self.permission):
            raise PermissionDenied("Du har ikke tilgang til denne siden.")
        return super().dispatch(request, *args, **kwargs)


