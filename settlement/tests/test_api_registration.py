"""UDI's settlement-ready registration leaks nothing: a household is returned only to a caller who may see it."""

from datetime import timedelta

from core.models import Agency, Role
from settlement.models import Household, Person
from settlement.tests.factories import next_duf
from settlement.tests.test_api import client_with, udi_payload

URL = "/api/v1/settlement-ready/"


def agency_client(make_user, code, username=None):
    user = make_user(Role.AGENCY, username or f"{code}-client", agency=Agency.objects.get(code=code))
    return client_with(user, ["persons:write", "persons:read"])


def _no_personal_data(response, household):
    text = response.content.decode()
    for p in household.persons.all():
        assert p.duf_number not in text and p.last_name not in text and p.first_name not in text
    assert str(household.pk) not in response.json().values()


def test_existing_household_is_not_returned_to_another_agency(ref, make_user, make_household, today):
    # Registered by IMDi (not by any agency): NAV with persons:write must not read it back by its DUF numbers.
    household = make_household(size=2, last="Tesfamariam")
    nav = agency_client(make_user, "nav")
    payload = udi_payload(today, dufs=list(household.persons.values_list("duf_number", flat=True)), centre=ref["centre"].pk)
    response = nav.post(URL, payload, format="json")
    assert response.status_code == 409, response.content
    assert response.json()["code"] == "already_registered"
    _no_personal_data(response, household)
    assert Household.objects.count() == 1


def test_existing_household_is_returned_only_to_the_agency_that_registered_it(ref, make_user, today):
    udi = agency_client(make_user, "udi")
    payload = udi_payload(today, centre=ref["centre"].pk)
    first = udi.post(URL, payload, format="json")
    assert first.status_code == 201
    household = Household.objects.get()
    # Another UDI client of the same agency gets it back (the agency registered it) ...
    assert agency_client(make_user, "udi", "udi-second").post(URL, payload, format="json").json()["id"] == household.pk
    # ... Bufetat with the same numbers gets a 409 and nothing about it.
    bufetat = agency_client(make_user, "bufetat")
    response = bufetat.post(URL, payload, format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_registered"
    _no_personal_data(response, household)


def test_a_known_number_in_a_new_household_does_not_reveal_the_other_household(ref, make_user, make_household, today):
    household = make_household(size=3, last="Tesfamariam")
    known = household.persons.first().duf_number
    nav = agency_client(make_user, "nav")
    response = nav.post(URL, udi_payload(today, dufs=[known, next_duf()], centre=ref["centre"].pk), format="json")
    assert response.status_code == 409 and response.json()["code"] == "already_registered"
    _no_personal_data(response, household)
    assert Person.objects.count() == 3


def test_the_payload_is_validated_before_any_lookup(ref, make_user, make_household, today):
    # Without a reception centre, a known and an unknown number must get the same answer (no enumeration oracle).
    household = make_household(size=1)
    nav = agency_client(make_user, "nav")
    known = nav.post(URL, udi_payload(today, dufs=[household.persons.get().duf_number]), format="json")
    unknown = nav.post(URL, udi_payload(today, dufs=[next_duf()]), format="json")
    assert known.status_code == unknown.status_code == 400
    assert known.json() == unknown.json()
    assert known.json()["reception_centre"][0]["code"] == "null"
    # A bad field (here a birth after the permit) is reported the same way for known and unknown numbers.
    bad_known = udi_payload(today, dufs=[household.persons.get().duf_number], centre=ref["centre"].pk)
    bad_unknown = udi_payload(today, dufs=[next_duf()], centre=ref["centre"].pk)
    for bad in (bad_known, bad_unknown):
        bad["persons"][0]["birth_date"] = (today + timedelta(days=400)).isoformat()
    assert nav.post(URL, bad_known, format="json").json() == nav.post(URL, bad_unknown, format="json").json()
    assert Household.objects.count() == 1


def test_imdi_staff_token_gets_households_in_scope_only(ref, users, make_household, today):
    household = make_household(size=1)  # region Øst
    payload = udi_payload(today, dufs=[household.persons.get().duf_number], centre=ref["centre"].pk)
    in_scope = client_with(users["cw_ost"], ["persons:write"]).post(URL, payload, format="json")
    assert in_scope.status_code == 200 and in_scope.json()["id"] == household.pk
    out_of_scope = client_with(users["cw_nord"], ["persons:write"]).post(URL, payload, format="json")
    assert out_of_scope.status_code == 409 and out_of_scope.json()["code"] == "already_registered"
    _no_personal_data(out_of_scope, household)
