from django.conf import settings

from .roles import actor_for


def user_role(request):
    return {"actor": actor_for(getattr(request, "user", None)), "show_demo_users": settings.DEBUG}
