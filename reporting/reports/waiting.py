"""Who waits at the month's end (bosettingsklare som venter), with the long-waiting (lengeventende).

- A person is waiting at the end of the month when the household was settlement-ready by then and
  neither the person was settled nor the household had left the flow by then.
- Long-waiting: waiting since before the month's end minus 3 months (minors, families with
  children) or 6 months (others).
"""

from collections import defaultdict
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q

from settlement.models import Person

from .common import group_of, is_resettlement


def _long_waiting(end) -> Q:
    return (Q(household__waiting_target_months=3, household__waiting_since__lt=end - relativedelta(months=3))
            | Q(household__waiting_target_months=6, household__waiting_since__lt=end - relativedelta(months=6)))


def waiting_rows(end) -> list[dict]:
    """One grouped query: waiting and long-waiting persons per region, group and nationality."""
    return list(
        Person.objects.filter(household__settlement_ready_on__lte=end)
        .filter(Q(settled_on__isnull=True) | Q(settled_on__gt=end))
        .filter(Q(household__exited_on__isnull=True) | Q(household__exited_on__gt=end))
        .annotate(resettlement=is_resettlement())
        .values("household__region_id", "household__composition", "resettlement", "nationality")
        .annotate(n=Count("id"), long=Count("id", filter=_long_waiting(end)))
    )


def _bucket() -> dict:
    return {"persons": 0, "long_waiting": 0}


@dataclass
class Waiting:
    """Waiting and long-waiting persons by region name, by group and by nationality."""

    by_region: dict
    by_group: dict
    by_nationality: dict

    @property
    def persons(self) -> int:
        return sum(v["persons"] for v in self.by_group.values())

    @property
    def long_waiting(self) -> int:
        return sum(v["long_waiting"] for v in self.by_group.values())


def waiting_counts(rows, regions) -> Waiting:
    out = Waiting(defaultdict(_bucket), defaultdict(_bucket), defaultdict(_bucket))
    region_names = {r.pk: r.name for r in regions}
    for r in rows:
        group = group_of(r["household__composition"], r["resettlement"])
        for bucket in (out.by_region[region_names[r["household__region_id"]]], out.by_group[group],
                       out.by_nationality[r["nationality"]]):
            bucket["persons"] += r["n"]
            bucket["long_waiting"] += r["long"]
    return out
