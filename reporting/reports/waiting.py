"""Who waits at the month's end (bosettingsklare som venter), with the long-waiting (lengeventende).

Both by settlement.definitions: waiting at a date (`waiting_q`) and long-waiting per person, 6 months after the
residence permit for adults and 3 for children (footnote 17, line 2592; `long_waiting_person_q`).
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from settlement.definitions import long_waiting_person_q, waiting_q
from settlement.models import Person

from .common import group_of, is_resettlement


def waiting_rows(end) -> list[dict]:
    """One grouped query: waiting and long-waiting persons per region, group and nationality."""
    return list(
        Person.objects.filter(waiting_q(end))
        .annotate(resettlement=is_resettlement())
        .values("household__region_id", "household__composition", "resettlement", "nationality")
        .annotate(n=Count("id"), long=Count("id", filter=long_waiting_person_q(end)))
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
