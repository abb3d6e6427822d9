"""Reference data for agreement parties other than municipalities and agencies: county governors, KS, county
authorities and Oslo's city districts. Loaded by `load_parties()` (idempotent), from the data migration, the demo
and the tests.

Sources: the county governors' offices and their mergers from regjeringen.no's list of offices and
fylkesmannen.no's notice of 1 January 2019 (16 to 10 offices; Aust- og Vest-Agder merged 1 January 2016,
Trøndelag 1 January 2018; renamed Statsforvalteren 1 January 2021; the 2024 county split kept the ten offices).
County authorities follow the counties of SSB KLASS 104 (core.reference_data.COUNTIES); Oslo has no county
authority, the municipality does that work. The city districts are Oslo kommune's 15 bydeler of 1 January 2004
with SSB's bydel numbers (0301 01-15).
"""

from datetime import date

from core.audit import update_or_create_if_changed
from core.reference_data import COUNTIES

from .models import PartyKind

REFORM_2019 = "2019-01-01"

# code, name, valid from, valid to (first day no longer valid)
COUNTY_GOVERNORS = [
    ("fm-ostfold", "Fylkesmannen i Østfold", None, REFORM_2019),
    ("fm-oslo-akershus", "Fylkesmannen i Oslo og Akershus", None, REFORM_2019),
    ("fm-hedmark", "Fylkesmannen i Hedmark", None, REFORM_2019),
    ("fm-oppland", "Fylkesmannen i Oppland", None, REFORM_2019),
    ("fm-buskerud", "Fylkesmannen i Buskerud", None, REFORM_2019),
    ("fm-vestfold", "Fylkesmannen i Vestfold", None, REFORM_2019),
    ("fm-telemark", "Fylkesmannen i Telemark", None, REFORM_2019),
    ("fm-aust-agder", "Fylkesmannen i Aust-Agder", None, "2016-01-01"),
    ("fm-vest-agder", "Fylkesmannen i Vest-Agder", None, "2016-01-01"),
    ("fm-hordaland", "Fylkesmannen i Hordaland", None, REFORM_2019),
    ("fm-sogn-fjordane", "Fylkesmannen i Sogn og Fjordane", None, REFORM_2019),
    ("fm-sor-trondelag", "Fylkesmannen i Sør-Trøndelag", None, "2018-01-01"),
    ("fm-nord-trondelag", "Fylkesmannen i Nord-Trøndelag", None, "2018-01-01"),
    ("fm-troms", "Fylkesmannen i Troms", None, REFORM_2019),
    ("fm-finnmark", "Fylkesmannen i Finnmark", None, REFORM_2019),
    # Offices that still exist, by today's name (Fylkesmannen until 2021).
    ("sf-rogaland", "Statsforvalteren i Rogaland", None, None),
    ("sf-more-romsdal", "Statsforvalteren i Møre og Romsdal", None, None),
    ("sf-nordland", "Statsforvalteren i Nordland", None, None),
    ("sf-agder", "Statsforvalteren i Agder", "2016-01-01", None),  # Aust- og Vest-Agder 2016-2018
    ("sf-trondelag", "Statsforvalteren i Trøndelag", "2018-01-01", None),
    ("sf-oslo-viken", "Statsforvalteren i Oslo og Viken", REFORM_2019, None),
    ("sf-innlandet", "Statsforvalteren i Innlandet", REFORM_2019, None),
    ("sf-vestfold-telemark", "Statsforvalteren i Vestfold og Telemark", REFORM_2019, None),
    ("sf-vestland", "Statsforvalteren i Vestland", REFORM_2019, None),
    ("sf-troms-finnmark", "Statsforvalteren i Troms og Finnmark", REFORM_2019, None),
]

KS = ("ks", "KS – kommunesektorens organisasjon")

# SSB bydel number (0301 + two digits), name
CITY_DISTRICTS = [
    ("030101", "Gamle Oslo"), ("030102", "Grünerløkka"), ("030103", "Sagene"), ("030104", "St. Hanshaugen"),
    ("030105", "Frogner"), ("030106", "Ullern"), ("030107", "Vestre Aker"), ("030108", "Nordre Aker"),
    ("030109", "Bjerke"), ("030110", "Grorud"), ("030111", "Stovner"), ("030112", "Alna"), ("030113", "Østensjø"),
    ("030114", "Nordstrand"), ("030115", "Søndre Nordstrand"),
]
CITY_DISTRICTS_FROM = "2004-01-01"


def _date(value):
    return date.fromisoformat(value) if value else None


def party_rows() -> list[tuple[str, str, str, date | None, date | None]]:
    """(kind, code, name, valid_from, valid_to) for every party."""
    rows = [(PartyKind.COUNTY_GOVERNOR, code, name, _date(f), _date(t)) for code, name, f, t in COUNTY_GOVERNORS]
    rows.append((PartyKind.KS, KS[0], KS[1], None, None))
    rows += [(PartyKind.COUNTY_AUTHORITY, f"fk-{number}", f"{name} fylkeskommune", _date(f), _date(t))
             for number, name, _, f, t in COUNTIES if number != "03"]
    rows += [(PartyKind.CITY_DISTRICT, f"bydel-{number}", f"Bydel {name}", _date(CITY_DISTRICTS_FROM), None)
             for number, name in CITY_DISTRICTS]
    return rows


def load_parties(model=None) -> int:
    """Create or update every party (by code). `model` is the historical model in a migration."""
    if model is None:
        from .models import PartyOrganisation as model
    for kind, code, name, valid_from, valid_to in party_rows():
        update_or_create_if_changed(model.objects, code=code, defaults={
            "kind": str(kind), "name": name, "valid_from": valid_from, "valid_to": valid_to})
    return len(party_rows())
