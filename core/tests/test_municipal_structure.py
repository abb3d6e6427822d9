"""The municipal structure of 2014 and of today, from SSB KLASS (core/data/), and the successions between them."""

from datetime import date

import pytest

from core.models import County, Municipality, MunicipalitySuccession, predecessors_of, successors_on
from core.services import load_reference_data

# Chapter 8.1.7 of the evaluation (lines 5627-5640). Buskerud is not named there (kept on Indre Øst).
OFFICE_2014 = {
    "01": "ost", "02": "ost", "03": "ost", "07": "ost",
    "04": "indre-ost", "05": "indre-ost", "06": "indre-ost",
    "08": "sor", "09": "sor", "10": "sor",
    "11": "vest", "12": "vest", "14": "vest",
    "15": "midt", "16": "midt", "17": "midt",
    "18": "nord", "19": "nord", "20": "nord",
}


@pytest.fixture
def history(db):
    load_reference_data(history=True)


def numbers(qs):
    return sorted(qs.values_list("number", flat=True))


def test_counts_of_each_structure(history):
    assert Municipality.objects.valid_on(date(2014, 1, 1)).count() == 428
    assert County.objects.valid_on(date(2014, 1, 1)).count() == 19
    assert Municipality.objects.valid_on(date(2017, 1, 1)).count() == 426
    assert Municipality.objects.valid_on(date(2018, 1, 1)).count() == 422
    assert Municipality.objects.valid_on(date(2020, 1, 1)).count() == 356
    assert County.objects.valid_on(date(2020, 1, 1)).count() == 11
    assert Municipality.objects.valid_on(date(2024, 1, 1)).count() == 357
    assert County.objects.valid_on(date(2024, 1, 1)).count() == 15
    assert Municipality.objects.valid_on(date(2023, 12, 31)).count() == 356


def test_default_load_is_the_2014_structure_only(db):
    load_reference_data()
    assert Municipality.objects.count() == 428
    assert County.objects.count() == 19
    assert not MunicipalitySuccession.objects.exists()
    # Loading the history on top keeps the same rows (one row per number) and adds the rest.
    load_reference_data(history=True)
    assert Municipality.objects.count() == 838
    assert Municipality.objects.valid_on(date(2014, 1, 1)).count() == 428


def test_sandefjord_andebu_and_stokke_became_sandefjord_in_2017(history):
    new = Municipality.objects.get(number="0710")
    olds = MunicipalitySuccession.objects.filter(new=new)
    assert sorted(s.old.number for s in olds) == ["0706", "0719", "0720"]
    assert {s.date for s in olds} == {date(2017, 1, 1)}
    for old in ("0706", "0719", "0720"):
        muni = Municipality.objects.get(number=old)
        assert [m.number for m in successors_on(muni, date(2017, 6, 1))] == ["0710"]
        assert [m.number for m in successors_on(muni, date(2016, 12, 31))] == [old]
        assert [m.number for m in successors_on(muni, date(2025, 1, 1))] == ["3907"]


def test_halden_number_follows_both_reforms(history):
    halden = Municipality.objects.get(number="0101")
    assert [m.number for m in successors_on(halden, date(2019, 12, 31))] == ["0101"]
    assert [m.number for m in successors_on(halden, date(2020, 1, 1))] == ["3001"]
    assert [m.number for m in successors_on(halden, date(2024, 1, 1))] == ["3101"]
    assert Municipality.objects.get(number="3101").name == "Halden"
    assert [m.number for m in predecessors_of(Municipality.objects.get(number="3101"))] == ["0101", "3001"]


def test_mergers_splits_and_kept_numbers(history):
    on = date(2024, 6, 1)
    get = Municipality.objects.get
    # Stavanger kept its number when Finnøy and Rennesøy joined in 2020.
    assert [m.number for m in successors_on(get(number="1141"), on)] == ["1103"]
    # Bergen 1201 -> 4601; Tromsø 1902 -> 5401 -> 5501; Bærum 0219 -> 3024 -> 3201.
    assert [m.number for m in successors_on(get(number="1201"), on)] == ["4601"]
    assert [m.number for m in successors_on(get(number="1902"), on)] == ["5501"]
    assert [m.number for m in successors_on(get(number="0219"), on)] == ["3201"]
    # Haram joined Ålesund in 2020 and left again in 2024.
    assert [m.number for m in successors_on(get(number="1534"), date(2021, 1, 1))] == ["1507"]
    assert [m.number for m in successors_on(get(number="1534"), on)] == ["1508", "1580"]
    # Snillfjord was split three ways in 2020.
    assert [m.number for m in successors_on(get(number="1613"), on)] == ["5055", "5056", "5059"]
    # Every 2014 municipality has at least one successor in today's structure.
    for muni in Municipality.objects.valid_on(date(2014, 1, 1)):
        assert all(m.is_valid_on(on) for m in successors_on(muni, on)) and successors_on(muni, on)


def test_each_2014_county_is_under_the_office_of_chapter_8_1_7(history):
    counties = County.objects.valid_on(date(2014, 1, 1)).select_related("region")
    assert {c.number: c.region.code for c in counties} == OFFICE_2014
    assert County.objects.get(number="07").region.code == "ost"  # Vestfold: IMDi Øst, not Sør
    for muni in Municipality.objects.valid_on(date(2014, 1, 1)).select_related("region"):
        assert muni.region.code == OFFICE_2014[muni.number[:2]], muni


def test_today_counties_and_mixed_counties(history):
    today = County.objects.valid_on(date(2024, 1, 1))
    assert numbers(today) == ["03", "11", "15", "18", "31", "32", "33", "34", "39", "40", "42", "46", "50", "55", "56"]
    # Viken straddled two offices: its municipalities keep the office of the area they came from.
    assert Municipality.objects.get(number="3053").region.code == "indre-ost"  # Jevnaker, from Oppland
    assert Municipality.objects.get(number="3024").region.code == "ost"  # Bærum
    assert Municipality.objects.get(number="3804").region.code == "ost"  # Sandefjord, Vestfold
    assert Municipality.objects.get(number="3806").region.code == "sor"  # Porsgrunn, Telemark
