"""The demo's users (password `demo`): admin, a caseworker per office, a municipality user per municipality in the
demo (kommune.<number>, kommune.0301.les read-only), the ministry, and the agencies' API clients."""

from functools import lru_cache

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from core.models import Agency, Role, UserProfile

DEMO_PASSWORD = "demo"


def demo_password_hash() -> str:
    """The demo password hashed once per process (a hash takes about 0.4 s), with the hasher in use."""
    return _hash(settings.PASSWORD_HASHERS[0])


@lru_cache(maxsize=None)
def _hash(hasher: str) -> str:
    return make_password(DEMO_PASSWORD)


def _value(obj, name):
    """A profile's or a scope's value for a field, a related object by its key (no query for the profile's)."""
    if isinstance(obj, dict):
        return getattr(obj[name], "pk", obj[name])
    return getattr(obj, f"{name}_id") if hasattr(obj, f"{name}_id") else getattr(obj, name)


def create_users(regions: dict, municipalities) -> None:
    User = get_user_model()
    password = demo_password_hash()  # hash once: hashing per user would take seconds
    wanted = {}  # username -> (first, last, role, scope)
    wanted["admin"] = ("Ada", "Administrator", Role.NATIONAL_ADMIN, {})
    for code, region in regions.items():
        wanted[f"saksbehandler.{code}"] = ("Saksbehandler", region.name, Role.CASEWORKER, {"region": region})
    oslo = None
    for m in municipalities:
        wanted[f"kommune.{m.number}"] = ("Flyktningkonsulent", m.name, Role.MUNICIPALITY, {"municipality": m, "can_write": True})
        oslo = m if m.number == "0301" else oslo
    wanted["kommune.0301.les"] = ("Leser", "Oslo", Role.MUNICIPALITY, {"municipality": oslo, "can_write": False})
    wanted["departement"] = ("Rådgiver", "BLD", Role.MINISTRY, {})
    for code in ("udi", "bufetat", "nav", "husbanken"):
        wanted[f"{code}-klient"] = ("API-klient", code.upper(), Role.AGENCY, {"agency": Agency.objects.get(code=code)})

    existing = User.objects.in_bulk(list(wanted), field_name="username")
    new = [User(username=u, first_name=f, last_name=l, password=password, email=f"{u}@demo.imdi.no",
                is_staff=r == Role.NATIONAL_ADMIN, is_superuser=r == Role.NATIONAL_ADMIN)
           for u, (f, l, r, _) in wanted.items() if u not in existing]
    User.objects.bulk_create(new, batch_size=1000)
    User.objects.filter(pk__in=[u.pk for u in existing.values()]).update(password=password)  # one statement
    users = User.objects.in_bulk(list(wanted), field_name="username")
    profiles = UserProfile.objects.in_bulk([u.pk for u in users.values()], field_name="user_id")
    to_create, to_update = [], []
    for username, (_, _, role, scope) in wanted.items():
        user = users[username]
        profile = profiles.get(user.pk)
        if profile is None:
            to_create.append(UserProfile(user=user, role=role, **scope))
        elif profile.role != role or any(_value(profile, k) != _value(scope, k) for k in scope):
            profile.role = role  # changed since the last seed (after --reset, none is)
            for k, v in scope.items():
                setattr(profile, k, v)
            to_update.append(profile)
    UserProfile.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        fields = sorted({"role"} | {k for *_, scope in wanted.values() for k in scope})
        UserProfile.objects.bulk_update(to_update, fields, batch_size=1000)
