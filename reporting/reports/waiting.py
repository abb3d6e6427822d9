"""Who waits at the month's end (bosettingsklare som venter), with the long-waiting (lengeventende).

Both by settlement.definitions: waiting at a date (`waiting_q`) and long-waiting per person, 6 months after the
residence permit for adults and 3 for children (footnote 17, line 2592; `long_waiting_person_q`). The counts are
columns of the monthly report's second statement (monthly.queue_rows); this module sums them.
"""

from collections import defaultdict
from dataclasses import dataclass

from settlement.definitions import long_waiting_person_q, waiting_q

from .common import flag


def waiting_columns(end) -> dict:
    """Per person: 0/1 waiting and long-waiting at the end of a day."""
    return {"w_end": flag(waiting_q(end)), "l_end": flag(long_waiting_person_q(end))}


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
    """From rows of (region, grp, nat, waiting, long_waiting); rows with nobody waiting are left out."""
    out = Waiting(defaultdict(_bucket), defaultdict(_bucket), defaultdict(_bucket))
    region_names = {r.pk: r.name for r in regions}
    for r in rows:
        if not r["waiting"]:
            continue
        for bucket in (out.by_region[region_names[r["region"]]], out.by_group[r["grp"]], out.by_nationality[r["nat"]]):
            bucket["persons"] += r["waiting"]
            bucket["long_waiting"] += r["long_waiting"]
    return out
