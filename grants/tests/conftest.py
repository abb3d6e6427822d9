"""Grant fixtures: the schemes with known rates, an open application round, settled households."""

from datetime import timedelta
from decimal import Decimal

import pytest

from grants.models import GrantRate, GrantScheme, GrantYear
from grants.reference import load_grant_schemes

from .factories import RATES

D = Decimal


@pytest.fixture
def schemes(ref):
    load_grant_schemes(years=range(2023, 2031))
    for gy in GrantYear.objects.select_related("scheme"):
        for kind, amount in RATES.get(gy.scheme.code, {}).items():
            GrantRate.objects.update_or_create(grant_year=gy, kind=kind, defaults={"amount": amount})
    return {s.code: s for s in GrantScheme.objects.all()}


@pytest.fixture
def jobbsjansen(schemes, today):
    gy = GrantYear.objects.get(scheme__code="jobbsjansen", year=today.year)
    GrantYear.objects.filter(pk=gy.pk).update(budget=D("1000000"), opens_on=today - timedelta(days=30),
                                             application_deadline=today + timedelta(days=30))
    gy.refresh_from_db()
    return gy
