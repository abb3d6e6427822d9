"""Fixtures shared by every app's tests: reference data, users per role, households (settlement's HouseholdFactory) and decisions."""

import itertools
from datetime import date, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.models import Municipality, ReceptionCentre, Region, Role, UserProfile
from core.roles import actor_for
from core.services import load_reference_data
from settlement import services
from settlement.models import Category
from settlement.tests.factories import HouseholdFactory
from core.testing import PASSWORD


@pytest.fixture(autouse=True)
def _eager_celery():
    """Jobs run in-process in tests unless a test starts a real worker (CI sets REDIS_URL for that one)."""
    from imdi.celery import app

    saved = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = saved


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: a rolled-back test's ids come again in the next (SQLite), so a
    version-keyed entry (the grant forecast) or a throttle count must not outlive its test."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A fast hasher: the default one costs a third of a second per test user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    # Reference data once per test database: each test rolls back its own changes. Tests with
    # transactional_db flush the tables, so `ref` reloads when the data is gone.
    with django_db_blocker.unblock():
        load_reference_data()


@pytest.fixture
def ref(db):
    if not ReceptionCentre.objects.filter(name="Råde mottak").exists():
        load_reference_data()
    return {
        "oslo": Municipality.objects.get(number="0301"),
        "bergen": Municipality.objects.get(number="1201"),
        "baerum": Municipality.objects.get(number="0219"),
        "tromso": Municipality.objects.get(number="1902"),
        "ost": Region.objects.get(code="ost"),
        "vest": Region.objects.get(code="vest"),
        "nord": Region.objects.get(code="nord"),
        "centre": ReceptionCentre.objects.get(name="Råde mottak"),  # region Øst
        "minors_centre": ReceptionCentre.objects.get(name="Oslo mottak for enslige mindreårige"),
    }


@pytest.fixture
def make_user(db):
    counter = itertools.count(1)

    def make(role, username=None, **scope):
        username = username or f"{role}-{next(counter)}"
        user = get_user_model().objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.no")
        UserProfile.objects.create(user=user, role=role, **scope)
        return user

    return make


@pytest.fixture
def users(ref, make_user):
    return {
        "admin": make_user(Role.NATIONAL_ADMIN, "admin"),
        "cw_ost": make_user(Role.CASEWORKER, "cw_ost", region=ref["ost"]),
        "cw_vest": make_user(Role.CASEWORKER, "cw_vest", region=ref["vest"]),
        "cw_nord": make_user(Role.CASEWORKER, "cw_nord", region=ref["nord"]),
        "oslo": make_user(Role.MUNICIPALITY, "oslo", municipality=ref["oslo"], can_write=True),
        "oslo_read": make_user(Role.MUNICIPALITY, "oslo_read", municipality=ref["oslo"], can_write=False),
        "bergen": make_user(Role.MUNICIPALITY, "bergen", municipality=ref["bergen"], can_write=True),
        "ministry": make_user(Role.MINISTRY, "bld"),
    }


@pytest.fixture
def actors(users):
    return {k: actor_for(u) for k, u in users.items()}


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def make_household(ref, users, today):
    """A settlement-ready household registered by the national admin, by default a single adult in Råde mottak
    (region Øst). Made by settlement's HouseholdFactory; extra keywords pick a state trait (proposed=True, ...)."""

    def make(size=1, permit=None, category=Category.RECEPTION_CENTRE, children=0, centre=None, last="Haile", **state):
        persons = [{"first_name": "Yonas", "last_name": last, "birth_date": date(1990, 5, 1)}]
        persons += [{"first_name": "Selam", "last_name": last, "birth_date": date(1992, 3, 1), "sex": "F"}
                    for _ in range(size - 1 - children)]
        persons += [{"first_name": f"Barn{i}", "last_name": last, "birth_date": today - timedelta(days=365 * (3 + i))}
                    for i in range(children)]
        return HouseholdFactory(
            category=category, reception_centre=centre if centre is not None else ref["centre"],
            waiting_since=permit or today - timedelta(days=100), settlement_ready_on=today, persons=persons,
            registered_by=users["admin"], **state,
        )

    return make


@pytest.fixture
def decide(actors, ref, today):
    """Record a municipality's decision through the service, as a municipality user would."""
    from core.roles import Actor

    def decide(municipality, places, minors=0, year=None):
        actor = Actor(user=None, role=Role.MUNICIPALITY, municipality_id=municipality.pk, can_write=True)
        return services.record_decision(actor, municipality=municipality, year=year or today.year, places=places,
                                        unaccompanied_minors=minors, decided_on=today)

    return decide
