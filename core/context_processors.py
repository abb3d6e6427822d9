from django.conf import settings

from .navigation import menu_for
from .roles import actor_for


def user_role(request):
    actor = actor_for(getattr(request, "user", None))
    return {
        "actor": actor,
        "show_demo_users": settings.DEBUG,
        "nav_items": menu_for(actor, request.path) if actor.role else [],
    }
