"""A small hand-built dataset whose report figures are known exactly (see test_reports.py)."""

from datetime import date

from core.models import Municipality, Region
from core.services import load_reference_data
from settlement.models import (
    Category, Composition, Household, HouseholdStatus, MunicipalDecision, NationalNeed, Person, RequestedPlaces, SettlementRequest,
)
from settlement.tests.factories import HouseholdFactory

_seq = [0]


def make_household(*, composition, permit, region, municipality=None, settled=None, assigned=None, ready=None,
                   adults=1, children=0, category=Category.RECEPTION_CENTRE, nationality="ERI", year=2025):
    persons = []
    for i in range(adults + children):
        _seq[0] += 1
        persons.append({"duf_number": f"2025{_seq[0]:08d}", "first_name": "P", "last_name": str(_seq[0]),
                        "birth_date": date(2020, 1, 1) if i >= adults else date(1990, 1, 1), "nationality": nationality})
    state = {"settled": True, "settled_on": settled, "assigned_on": assigned or settled} if settled else (
        {"assigned": True, "assigned_on": assigned} if assigned else {})
    if state:
        state.update(municipality=municipality, settlement_year=year)
    return HouseholdFactory(composition=composition, category=category, region=region, waiting_since=permit,
                            settlement_ready_on=ready or permit, persons=persons, **state)


def build():
    """Report month: June 2025. See the expected figures in test_reports.py."""
    load_reference_data()
    m = {n: Municipality.objects.get(number=n) for n in ("0301", "1201", "1902", "0219")}
    oslo, bergen, tromso, baerum = m["0301"], m["1201"], m["1902"], m["0219"]
    ost, vest, nord = (Region.objects.get(code=c) for c in ("ost", "vest", "nord"))
    NationalNeed.objects.create(year=2025, adults_and_families=24, unaccompanied_minors=0, resettlement_refugees=0)
    for muni, requested, decided in ((oslo, 12, 10), (bergen, 5, 5), (tromso, 3, 4), (baerum, 6, None)):
        req = SettlementRequest.objects.create(municipality=muni, sent_on=date(2024, 4, 15), reply_deadline=date(2024, 6, 15))
        RequestedPlaces.objects.create(request=req, municipality=muni, year=2025, persons=requested)
        if decided is not None:
            MunicipalDecision.objects.create(municipality=muni, year=2025, places=decided, decided_on=date(2024, 9, 1))
    SA, FWC, UM = Composition.SINGLE_ADULT, Composition.FAMILY_WITH_CHILDREN, Composition.UNACCOMPANIED_MINOR
    make_household(composition=SA, permit=date(2025, 1, 10), settled=date(2025, 3, 1), municipality=oslo, region=ost)        # H1 50 d
    make_household(composition=SA, permit=date(2024, 10, 1), settled=date(2025, 6, 10), municipality=oslo, region=ost)       # H2 252 d
    make_household(composition=SA, permit=date(2024, 12, 1), settled=date(2025, 5, 20), municipality=bergen, region=vest)    # H3 170 d
    make_household(composition=FWC, permit=date(2025, 2, 1), settled=date(2025, 4, 15), municipality=bergen, region=vest,
                   adults=2, children=1, nationality="SYR")                                                                  # H4 73 d x3
    make_household(composition=FWC, permit=date(2025, 1, 5), settled=date(2025, 6, 20), municipality=tromso, region=nord,
                   adults=1, children=1)                                                                                     # H5 166 d x2
    make_household(composition=UM, permit=date(2025, 3, 1), settled=date(2025, 5, 1), municipality=tromso, region=nord,
                   category=Category.UNACCOMPANIED_MINOR, nationality="AFG")                                                 # H6 61 d
    make_household(composition=SA, permit=date(2024, 5, 1), settled=date(2025, 6, 5), municipality=oslo, region=ost)         # H7 400 d
    make_household(composition=SA, permit=date(2024, 11, 15), ready=date(2024, 12, 1), region=ost)                          # H8 waiting, long
    make_household(composition=FWC, permit=date(2025, 5, 1), ready=date(2025, 5, 15), region=vest, adults=2, children=2)     # H9 waiting
    h10 = make_household(composition=SA, permit=date(2025, 6, 1), assigned=date(2025, 6, 25), municipality=oslo, region=ost,
                         category=Category.RESETTLEMENT)                                                                     # H10 assigned
    # H10 is settled after the report month: at the end of June it still waits, assigned to Oslo.
    Household.objects.filter(pk=h10.pk).update(status=HouseholdStatus.SETTLED, settled_on=date(2025, 7, 10))
    Person.objects.filter(household=h10).update(settled_on=date(2025, 7, 10))
    return m
