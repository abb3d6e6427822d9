"""Grant fixtures: a fixed day, the schemes with known rates, an open application round, logged-in clients."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from core.models import Role
from core.roles import actor_for
from grants.models import GrantRate, GrantScheme, GrantYear
from grants.reference import load_grant_schemes

from .factories import RATES

D = Decimal
DAY = date(2026, 3, 16)  # a Monday in the first quarter: the last finished quarter is 2025 Q4


@pytest.fixture
def today(time_machine):
    """Grant tests run on a fixed day, so application rounds and claim quarters don't move with the calendar.
    The clock keeps ticking from there (history rows stay in order)."""
    time_machine.move_to(datetime(DAY.year, DAY.month, DAY.day, 12, tzinfo=ZoneInfo("Europe/Oslo")))
    return DAY


@pytest.fixture
def schemes(ref, today):
    load_grant_schemes(years=range(2023, 2031))
    for gy in GrantYear.objects.select_related("scheme"):
        for kind, amount in RATES.get(gy.scheme.code, {}).items():
            GrantRate.objects.update_or_create(grant_year=gy, kind=kind, defaults={"amount": amount})
    return {s.code: s for s in GrantScheme.objects.all()}


@pytest.fixture
def jobbsjansen(schemes, today):
    """This year's Jobbsjansen: 1,000,000 kr, open from 30 days ago until 30 days from now."""
    gy = GrantYear.objects.get(scheme__code="jobbsjansen", year=today.year)
    GrantYear.objects.filter(pk=gy.pk).update(budget=D("1000000"), opens_on=today - timedelta(days=30),
                                             application_deadline=today + timedelta(days=30))
    gy.refresh_from_db()
    return gy


@pytest.fixture
def admin2(make_user):
    """A second national admin, for the four-eyes rule."""
    return actor_for(make_user(Role.NATIONAL_ADMIN, "admin2"))


@pytest.fixture
def login():
    def login(user):
        client = Client()
        client.force_login(user)
        return client

    return login
