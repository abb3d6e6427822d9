"""Places per municipality for the monthly report: settled, assigned (søkt ut), requested (anmodet) and
decided (vedtatt), and their roll-up to county, region and nation.

As the places stood at the month's end (settlement.definitions): the decision in force then (its history), the
households' placement before any later exit, and place use (plassbruk) on the year's own places: persons settled
in January on last year's places use last year's places, not this year's.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q

from core.models import Municipality
from settlement.definitions import decisions_at, requested_at, used_q

from .common import flag, share

SUMMED = ("settled_month", "settled_ytd", "assigned", "used", "requested", "decided", "decided_minors")


@dataclass
class Places:
    """Keyed by municipality id: settled {"month", "ytd"}, used {"settled", "assigned"} on the year's places,
    decided (places, minors), requested persons."""

    settled: dict
    used: dict
    decided: dict
    requested: dict


def used_columns(year: int, end) -> dict:
    """Per person, 0/1: settled on, or assigned to and using, the municipality's places of `year` at the end of
    a day (settlement.definitions.used_q on rows annotated with `placement`; the columns of `used_places`)."""
    on_places = Q(places_year=year, placed_municipality__isnull=False) & used_q(end)
    return {"u_settled": flag(on_places & Q(settled_on__lte=end)),
            "u_assigned": flag(on_places & (Q(settled_on__isnull=True) | Q(settled_on__gt=end)))}


def used_population_q(year: int, end) -> Q:
    """The persons `used_columns` can count, cheap conditions first: settled by then, assigned by then, or of a
    household that left the flow after the day (for one that left, its placement is read from history)."""
    return ((Q(settled_on__lte=end) | Q(household__assigned_on__lte=end) | Q(household__exited_on__gt=end))
            & Q(places_year=year, placed_municipality__isnull=False) & used_q(end))


def places_by_municipality(settled: dict, used: dict, year: int, end) -> Places:
    """Settled and used places from the report's statements; decided (two queries) and requested (one)."""
    return Places(
        settled=settled,
        used=used,
        decided=decisions_at(year, end),
        requested=requested_at(year, end),
    )


def frame_municipalities(start, end, places: Places) -> list[dict]:
    """The municipalities the report lists, by number: those that existed some day from `start` to `end` (valid_from
    and valid_to, KLASS), and any other that a figure of the period is for (a household placed in a municipality
    merged away since, a decision or a request made before a reform), in its own county and region as before, so
    that no figure moves and the county, region and national totals are the same as over every municipality."""
    existing = (Q(valid_from__isnull=True) | Q(valid_from__lte=end)) & (Q(valid_to__isnull=True) | Q(valid_to__gt=start))
    return list(Municipality.objects.filter(existing | Q(pk__in=sorted(with_figures(places)))).order_by("number")
                .values("id", "number", "name", "county__number", "county__name", "region__name"))


def empty_row() -> dict:
    return {"settled_month": 0, "settled_ytd": 0, "assigned": 0, "used": 0, "requested": 0, "decided": 0,
            "decided_minors": 0, "municipalities": 0}


def finish(row: dict) -> dict:
    """Place use (plassbruk): persons settled on or assigned to the year's places, against the places decided."""
    row["place_use"] = share(row["used"], row["decided"])
    return row


def decision_against_request(places: int | None, requested: int) -> str:
    """How a municipality's decision compares to IMDi's request."""
    if places is None:
        return "nothing"
    return "more" if places > requested else "same" if places == requested else "fewer"


def with_figures(places: Places) -> set:
    """The municipalities some figure of the month is for (settled, place use, a decision or a request)."""
    return set(places.settled) | set(places.used) | set(places.decided) | set(places.requested)


def municipality_row(m: dict, places: Places) -> dict:
    """m: a frame row of `frame_municipalities` (id, number, name, county and region)."""
    s = places.settled.get(m["id"], {})
    used = places.used.get(m["id"], {"settled": 0, "assigned": 0})
    decided, minors = places.decided.get(m["id"], (None, 0))
    requested = places.requested.get(m["id"])
    return finish({
        "number": m["number"], "name": m["name"], "county": m["county__name"], "region": m["region__name"],
        "settled_month": s.get("month", 0), "settled_ytd": s.get("ytd", 0), "assigned": used["assigned"],
        "used": used["settled"] + used["assigned"],
        "requested": requested or 0, "decided": decided or 0, "decided_minors": minors, "has_decision": decided is not None,
        # Only a municipality IMDi asked for places is counted for or against its request.
        "decision": decision_against_request(decided, requested) if requested else None,
    })


@dataclass
class RollUp:
    municipalities: list = field(default_factory=list)
    counties: dict = field(default_factory=lambda: defaultdict(empty_row))  # keyed by (number, name, region name)
    regions: dict = field(default_factory=lambda: defaultdict(empty_row))  # keyed by region name
    nation: dict = field(default_factory=empty_row)
    decisions: dict = field(default_factory=lambda: {"more": 0, "same": 0, "fewer": 0, "nothing": 0})


def roll_up(municipalities, places: Places) -> RollUp:
    """One row per municipality of the frame (`frame_municipalities`), summed into its county, its region and the
    nation."""
    out = RollUp()
    for m in municipalities:
        row = municipality_row(m, places)
        out.municipalities.append(row)
        if row["decision"]:
            out.decisions[row["decision"]] += 1
        region = m["region__name"]
        for target in (out.counties[(m["county__number"], m["county__name"], region)], out.regions[region], out.nation):
            for k in SUMMED:
                target[k] += row[k]
            target["municipalities"] += 1
    return out


def region_rows(regions, rollup: RollUp, waiting_by_region: dict) -> list[dict]:
    rows = []
    for region in regions:
        row = finish(rollup.regions[region.name])
        row.update({"name": region.name, "waiting": waiting_by_region[region.name]["persons"],
                    "long_waiting": waiting_by_region[region.name]["long_waiting"]})
        rows.append(row)
    return rows


def county_rows(rollup: RollUp) -> list[dict]:
    return [finish({"number": k[0], "name": k[1], "region": k[2], **v}) for k, v in sorted(rollup.counties.items())]
