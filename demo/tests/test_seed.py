"""The demo seed: realistic reference data, and the same figures every time."""

from collections import Counter
from datetime import date

import pytest
from django.core.management import call_command
from django.contrib.auth.models import User
from django.db.models import Sum

from core.models import Municipality, ReceptionCentre, Region, UserProfile
from settlement import selectors
from demo.pipeline import clear_demo, seed_demo
from settlement.models import Household, HouseholdStatus, MunicipalDecision, NationalNeed, Person

AS_OF = date(2026, 6, 30)


def _figures():
    return {
        "status": dict(Counter(Household.objects.values_list("status", flat=True))),
        "persons": Person.objects.count(),
        "decided": MunicipalDecision.objects.aggregate(s=Sum("places"))["s"],
        "long_waiting": Household.objects.filter(selectors.long_waiting_q(AS_OF)).count(),
    }


@pytest.mark.django_db
def test_seed_is_realistic_and_deterministic():
    seed_demo(as_of=AS_OF, scale=0.15)
    assert Region.objects.count() == 6
    # The whole country: the 2024 structure's municipalities for a demo in 2024-2026, all with a known population.
    assert Municipality.objects.valid_on(AS_OF).count() == 357
    assert not Municipality.objects.valid_on(AS_OF).filter(population=0).exists()
    assert User.objects.filter(username__startswith="kommune.").count() == 358  # every municipality, and 0301.les
    per_region = Counter(Municipality.objects.values_list("region__code", flat=True))
    assert set(per_region) == {"ost", "indre-ost", "sor", "vest", "midt", "nord"}
    assert min(per_region.values()) >= 10
    assert Municipality.objects.get(number="0301").name == "Oslo"
    assert Municipality.objects.get(number="1806").region.office_city == "Narvik"
    assert ReceptionCentre.objects.count() >= 15
    assert list(NationalNeed.objects.order_by("year").values_list("year", flat=True)) == [2024, 2025, 2026]
    assert UserProfile.objects.filter(role="caseworker").count() == 6

    first = _figures()
    # Pinned: a change to the generator that moves these figures must be deliberate.
    assert first == {
        "status": {"settled": 2055, "exited": 99, "ready": 525, "proposed": 11, "accepted": 34, "assigned": 36},
        "persons": 3772, "decided": 5359, "long_waiting": 303,
    }
    assert set(first["status"]) == set(HouseholdStatus.values)
    assert first["status"][HouseholdStatus.SETTLED] > first["status"][HouseholdStatus.READY] > 0
    assert first["long_waiting"] > 0

    # No municipality was ever given more than it decided.
    for year in (2024, 2025, 2026):
        caps = selectors.capacities(Municipality.objects.values_list("pk", flat=True), year)
        assert all(c.decided - c.assigned - c.settled - c.accepted - c.proposed >= 0 for c in caps.values())
    # Every person of a settled household has a settlement date on or after the permit.
    assert not Person.objects.filter(household__status=HouseholdStatus.SETTLED, settled_on__isnull=True).exists()

    clear_demo()
    assert Household.objects.count() == 0
    seed_demo(as_of=AS_OF, scale=0.15)
    assert _figures() == first


@pytest.mark.django_db
def test_seed_command_skips_when_present_and_resets_on_request(capsys):
    call_command("seed_demo", as_of=AS_OF, scale=0.05)
    n = Household.objects.count()
    call_command("seed_demo", as_of=AS_OF, scale=0.05)
    assert "already present" in capsys.readouterr().out
    assert Household.objects.count() == n
    call_command("seed_demo", as_of=AS_OF, scale=0.05, reset=True)
    assert Household.objects.count() == n


@pytest.mark.django_db
def test_seed_command_runs_without_the_cyclic_collector_and_restores_it(monkeypatch):
    import gc

    from demo.management.commands.seed_demo import Command

    seen = []

    def fail(self, **kwargs):
        seen.append(gc.isenabled())
        raise RuntimeError("a step failed")

    monkeypatch.setattr(Command, "seed", fail)
    assert gc.isenabled()
    with pytest.raises(RuntimeError):
        call_command("seed_demo", as_of=AS_OF, scale=0.05)
    assert seen == [False] and gc.isenabled()  # off while seeding, on again after, also after a failure
    gc.disable()
    try:
        monkeypatch.setattr(Command, "seed", lambda self, **kwargs: None)
        call_command("seed_demo", as_of=AS_OF, scale=0.05)
        assert not gc.isenabled()  # left as the caller had it
    finally:
        gc.enable()
