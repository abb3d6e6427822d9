"""The demo's bulk writes (demo.store.insert_rows: COPY on PostgreSQL, executemany elsewhere) store what the ORM
would, keep a historical send date, and refuse rows that refer to nothing."""

from datetime import date, datetime, timezone as tz

import pytest
from django.db import IntegrityError

from demo.store import check_foreign_keys, insert_rows, reserve_ids
from settlement.models import DistributionList, Household, HouseholdEvent, Person


@pytest.mark.django_db
def test_insert_rows_stores_values_defaults_and_given_timestamps(ref):
    [pk] = reserve_ids(Household, 1)
    insert_rows(Household, [{"id": pk, "category": "reception_centre", "composition": "single_adult", "size": 1,
                             "region_id": ref["ost"].pk, "waiting_since": date(2025, 1, 2), "waiting_target_months": 6,
                             "settlement_ready_on": date(2025, 1, 20), "ties_note": "Bror i Oslo, «tante»; \"x\"\n2"}])
    h = Household.objects.get(pk=pk)
    assert (h.status, h.special_needs, h.ties_note, h.municipality_id, h.settled_on) == (
        "ready", "", "Bror i Oslo, «tante»; \"x\"\n2", None, None)  # defaults, a blank text, NULLs, quoting
    assert h.created_at is not None and h.updated_at is not None
    insert_rows(Person, [
        {"household_id": pk, "duf_number": "202500000001", "first_name": "Ali", "last_name": "Haddad",
         "birth_date": date(1990, 5, 1), "sex": "M", "nationality": "SYR", "is_head": True,
         "residence_permit_date": date(2025, 1, 2)},
        {"household_id": pk, "duf_number": "202500000002", "first_name": "Nour", "last_name": "Haddad",
         "birth_date": date(1992, 5, 1), "sex": "F", "nationality": "SYR", "residence_permit_date": date(2025, 1, 2),
         "settled_on": date(2025, 3, 1)},  # a key the first row leaves out
    ])
    assert list(Person.objects.filter(household_id=pk).order_by("duf_number").values_list("is_head", "settled_on")) == [
        (True, None), (False, date(2025, 3, 1))]
    sent = datetime(2025, 2, 3, 7, 0, tzinfo=tz.utc)
    [list_pk] = reserve_ids(DistributionList, 1)
    insert_rows(DistributionList, [{"id": list_pk, "municipality_id": ref["oslo"].pk, "region_id": ref["ost"].pk,
                                    "year": 2025, "reply_deadline": date(2025, 2, 17), "created_at": sent}])
    assert DistributionList.objects.get(pk=list_pk).created_at == sent  # not "now", as auto_now_add would make it
    assert Household.objects.get(pk=pk).persons.count() == 2


@pytest.mark.django_db
def test_a_row_that_refers_to_nothing_is_refused(ref):
    with pytest.raises(IntegrityError, match="HouseholdEvent.household"):
        insert_rows(HouseholdEvent, [{"household_id": 987654321, "kind": "created", "at": datetime(2025, 1, 1, tzinfo=tz.utc)}])
        check_foreign_keys(HouseholdEvent)  # on PostgreSQL insert_rows has checked already
    HouseholdEvent.objects.filter(household_id=987654321).delete()  # the test's own teardown checks the keys
