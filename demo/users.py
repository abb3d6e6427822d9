"""The demo's users (password `demo`): admin, a caseworker per office, a municipality user per municipality in the
demo (kommune.<number>, kommune.0301.les read-only), the ministry, and the agencies' API clients."""

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from core.models import Agency, Role, UserProfile

DEMO_PASSWORD = "demo"


def create_users(regions: dict, municipalities) -> None:
    User = get_user_model()
    password = make_password(DEMO_PASSWORD)  # hash once: hashing per user would take seconds
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
    for u in existing.values():
        u.password = password
    User.objects.bulk_update(list(existing.values()), ["password"])
    users = User.objects.in_bulk(list(wanted), field_name="username")
    profiles = UserProfile.objects.in_bulk([u.pk for u in users.values()], field_name="user_id")
    to_create, to_update = [], []
    for username, (_, _, role, scope) in wanted.items():
        user = users[username]
        profile = profiles.get(user.pk) or UserProfile(user=user)
        profile.role = role
        for k, v in scope.items():
            setattr(profile, k, v)
        (to_update if profile.pk else to_create).append(profile)
    UserProfile.objects.bulk_create(to_create, batch_size=1000)
    if to_update:
        fields = sorted({"role"} | {k for *_, scope in wanted.values() for k in scope})
        UserProfile.objects.bulk_update(to_update, fields, batch_size=1000)
