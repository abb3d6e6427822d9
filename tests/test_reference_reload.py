"""Reloading the reference data writes nothing that did not change: each reseed used to add a history row per
indicator, target, value, verdict, grant scheme, year, rate and party (issue 14), and to rewrite every region,
county, agency and reception centre."""

import pytest

from agreements.models import PartyOrganisation
from agreements.reference import load_parties
from core.audit import update_or_create_if_changed
from core.models import Region
from core.testing import count_queries
from core.services import load_reference_data
from grants.models import GrantRate, GrantScheme, GrantYear
from grants.reference import load_grant_schemes
from reporting.models import Indicator, IndicatorTarget, IndicatorValue, Verdict
from reporting.reference import load_indicators

MODELS = [Indicator, IndicatorTarget, IndicatorValue, Verdict,
          GrantScheme, GrantYear, GrantRate, PartyOrganisation]


def _load():
    load_reference_data()
    load_indicators()
    load_grant_schemes(years=(2013, 2025))
    load_parties()


def _history():
    return {m.__name__: m.history.count() for m in MODELS}


@pytest.mark.django_db
def test_a_second_load_writes_no_history():
    _load()
    first = _history()
    # Every loader wrote its rows the first time (the parties came with their migration, without history).
    assert all(n for name, n in first.items() if name != "PartyOrganisation") and PartyOrganisation.objects.exists(), first
    with count_queries() as queries:
        _load()
    assert _history() == first
    assert not [q for q in queries if q["sql"].startswith(("UPDATE", "INSERT"))]


@pytest.mark.django_db
def test_a_changed_row_is_restored_with_one_history_row():
    _load()
    oslo = Region.objects.get(code="ost")
    rate = GrantRate.objects.filter(grant_year__year=2025).order_by("pk").first()
    expected = rate.amount
    Region.objects.filter(pk=oslo.pk).update(name="Feil navn")
    GrantRate.objects.filter(pk=rate.pk).update(amount=expected + 1)
    before = _history()
    _load()
    oslo.refresh_from_db()
    rate.refresh_from_db()
    assert (oslo.name, rate.amount) == ("Øst", expected)
    after = _history()
    assert {k: after[k] - before[k] for k in after if after[k] != before[k]} == {"GrantRate": 1}


@pytest.mark.django_db
def test_update_or_create_if_changed_creates_compares_keys_and_saves_only_when_changed():
    load_grant_schemes(years=(2013,))
    scheme, other = GrantScheme.objects.order_by("pk")[:2]
    values = {"scheme": scheme, "year": 2030}
    gy, created = update_or_create_if_changed(GrantYear.objects, defaults={"budget": 100}, **values)
    assert created and gy.scheme_id == scheme.pk
    again, created = update_or_create_if_changed(GrantYear.objects, defaults={"budget": "100.00"}, **values)
    assert (again.pk, created, gy.history.count()) == (gy.pk, False, 1)
    update_or_create_if_changed(GrantYear.objects, defaults={"budget": 100, "scheme": other}, **values)
    assert (GrantYear.objects.get(pk=gy.pk).scheme_id, gy.history.count()) == (other.pk, 2)
