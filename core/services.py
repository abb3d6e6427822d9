"""Writes for the reference data."""

from django.db import transaction

from . import reference_data as ref
from .models import Agency, County, Municipality, ReceptionCentre, Region


@transaction.atomic
def load_reference_data() -> dict[str, int]:
    """Create or update regions, counties, municipalities, agencies and reception centres. Idempotent."""
    regions = {}
    for code, name, city in ref.REGIONS:
        regions[code], _ = Region.objects.update_or_create(code=code, defaults={"name": name, "office_city": city})
    counties, county_region = {}, {}
    for number, name, region_code in ref.COUNTIES:
        counties[number], _ = County.objects.update_or_create(number=number, defaults={"name": name})
        county_region[number] = regions[region_code]
    municipalities = {}
    for number, name, population in ref.MUNICIPALITIES:
        slug = name.lower().replace(" ", "-").replace("æ", "ae").replace("ø", "o").replace("å", "a")
        municipalities[number], _ = Municipality.objects.update_or_create(
            number=number,
            defaults={
                "name": name, "county": counties[number[:2]], "region": county_region[number[:2]],
                "population": population, "email": f"postmottak@{slug}.kommune.no",
            },
        )
    for code, name in ref.AGENCIES:
        Agency.objects.update_or_create(code=code, defaults={"name": name})
    for name, number, kind, operator in ref.RECEPTION_CENTRES:
        ReceptionCentre.objects.update_or_create(
            name=name, defaults={"municipality": municipalities[number], "kind": kind, "operator": operator}
        )
    return {"regions": len(regions), "counties": len(counties), "municipalities": len(municipalities)}
