"""Writes for the reference data."""

import csv
from datetime import date
from functools import cache
from pathlib import Path

from django.db import transaction

from . import reference_data as ref
from .audit import update_or_create_if_changed
from .models import Agency, County, Municipality, MunicipalitySuccession, ReceptionCentre, Region

DATA = Path(__file__).resolve().parent / "data"
STRUCTURE_2014 = date(2014, 1, 1)


def _rows(name: str) -> list[dict]:
    with open(DATA / name, encoding="utf-8") as f:
        return list(csv.DictReader(line for line in f if not line.startswith("#")))


def _date(value: str | None):
    return date.fromisoformat(value) if value else None


@cache
def municipality_rows() -> tuple[tuple, ...]:
    """(number, name, valid_from, valid_to) of every municipality since 2014, from SSB KLASS 131."""
    return tuple((r["number"], r["name"], _date(r["valid_from"]), _date(r["valid_to"])) for r in _rows("municipalities.csv"))


@cache
def population_2014() -> dict[str, int]:
    """Population of each 2014 municipality (core/data/population_2014.csv; partly approximate, see its header)."""
    return {r["number"]: int(r["population"]) for r in _rows("population_2014.csv")}


def _populations(rows, successions) -> dict[str, int]:
    """2014 figures, carried forward: a merged municipality gets the sum of its predecessors, a renumbered one its
    predecessor's, and a split one's population is divided evenly among its successors (approximate)."""
    population = dict(population_2014())
    successors: dict[str, list[str]] = {}
    for old, new, _, _ in successions:
        successors.setdefault(old, []).append(new)
    for old, new, _, _ in sorted(successions, key=lambda s: s[2]):
        population[new] = population.get(new, 0) + population.get(old, 0) // len(successors[old])
    return population


@cache
def succession_rows() -> tuple[tuple, ...]:
    return tuple((r["old_number"], r["new_number"], _date(r["date"]), r["kind"]) for r in _rows("successions.csv"))


def _valid(valid_from, valid_to, on) -> bool:
    return (valid_from is None or valid_from <= on) and (valid_to is None or on < valid_to)


def _slug(name: str) -> str:
    name = name.split(" (")[0].lower()
    for a, b in ((" ", "-"), ("æ", "ae"), ("ø", "o"), ("å", "a"), ("á", "a"), ("š", "s")):
        name = name.replace(a, b)
    return name


@transaction.atomic
def load_reference_data(history: bool = False) -> dict[str, int]:
    """Create or update regions, counties, municipalities, agencies and reception centres. Idempotent.

    By default only the structure of 1 January 2014 (19 counties, 428 municipalities), which is what the rest of
    the app has always seen. ``history=True`` adds every later structure (2017–2024 mergers and renumberings, the
    2024 split; 357 municipalities and 15 counties from 1 January 2024) and the successions between them."""
    regions = {}
    for code, name, city in ref.REGIONS:
        regions[code], _ = update_or_create_if_changed(Region.objects, code=code, defaults={"name": name, "office_city": city})

    counties = {}
    for number, name, region_code, valid_from, valid_to in ref.COUNTIES:
        valid_from, valid_to = _date(valid_from), _date(valid_to)
        if not history and not _valid(valid_from, valid_to, STRUCTURE_2014):
            continue
        counties[number], _ = update_or_create_if_changed(County.objects, number=number, defaults={
            "name": name, "region": regions.get(region_code), "valid_from": valid_from, "valid_to": valid_to,
        })

    rows = [r for r in municipality_rows() if history or _valid(r[2], r[3], STRUCTURE_2014)]
    successions = [s for s in succession_rows() if history]
    predecessors: dict[str, list[str]] = {}
    for old, new, _, _ in successions:
        predecessors.setdefault(new, []).append(old)
    existing = Municipality.objects.select_related("county", "region").in_bulk([r[0] for r in rows], field_name="number")
    population = _populations(rows, successions)
    region_of: dict[str, Region] = {}
    to_create, to_update = [], []
    # Oldest first, so a new municipality in a county with two offices inherits its predecessor's office.
    for number, name, valid_from, valid_to in sorted(rows, key=lambda r: (r[2] or date.min, r[0])):
        county = counties[number[:2]]
        region = county.region or region_of[predecessors[number][0]]
        region_of[number] = region
        values = {
            "name": name, "county": county, "region": region, "valid_from": valid_from, "valid_to": valid_to,
            "population": population.get(number, 0), "email": f"postmottak@{_slug(name)}.kommune.no",
        }
        muni = existing.get(number)
        if muni is None:
            to_create.append(Municipality(number=number, **values))
        elif any(getattr(muni, field) != value for field, value in values.items()):
            # Only what changed: rewriting all 838 rows on every seed took a second (issue 14).
            for field, value in values.items():
                setattr(muni, field, value)
            to_update.append(muni)
    Municipality.objects.bulk_create(to_create)
    if to_update:
        Municipality.objects.bulk_update(to_update, ["name", "county", "region", "valid_from", "valid_to", "population", "email"])

    if successions:
        ids = dict(Municipality.objects.values_list("number", "id"))
        MunicipalitySuccession.objects.bulk_create(
            [MunicipalitySuccession(old_id=ids[o], new_id=ids[n], date=d, kind=k) for o, n, d, k in successions],
            ignore_conflicts=True,
        )

    for code, name in ref.AGENCIES:
        update_or_create_if_changed(Agency.objects, code=code, defaults={"name": name})
    numbers = {r[1] for r in ref.RECEPTION_CENTRES}
    by_number = Municipality.objects.in_bulk(numbers, field_name="number")
    for name, number, kind, operator in ref.RECEPTION_CENTRES:
        update_or_create_if_changed(
            ReceptionCentre.objects,
            name=name, defaults={"municipality": by_number[number], "kind": kind, "operator": operator}
        )
    return {"regions": len(regions), "counties": len(counties), "municipalities": len(rows), "successions": len(successions)}
