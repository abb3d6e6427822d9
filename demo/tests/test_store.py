"""The demo's bulk writes (demo.store.insert_rows: COPY on PostgreSQL, executemany elsewhere) store what the ORM
would, keep a historical send date, and refuse rows that refer to nothing."""

import csv
import io
from datetime import date, datetime, timezone as tz

import pytest
from django.db import IntegrityError

from demo.store import CsvStream, check_foreign_keys, history_rows, insert_rows, instance_row, reserve_ids
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


def test_csv_stream_writes_every_row_once_in_chunks(monkeypatch):
    monkeypatch.setattr(CsvStream, "ROWS", 3)
    rows = [(i, f"navn {i}", None, date(2025, 1, i + 1)) for i in range(10)]
    stream = CsvStream(row for row in rows)
    chunks = []
    while chunk := stream.read(8192):
        chunks.append(chunk)
    assert [c.count("\n") for c in chunks] == [3, 3, 3, 1]  # a chunk per read, as PostgreSQL takes them
    expected = io.StringIO()
    csv.writer(expected, lineterminator="\n").writerows(rows)
    assert "".join(chunks) == expected.getvalue() and stream.read(8192) == ""


@pytest.mark.django_db
def test_insert_rows_in_several_chunks_stores_them_all(ref, monkeypatch):
    monkeypatch.setattr(CsvStream, "ROWS", 7)
    ids = reserve_ids(Household, 20)
    insert_rows(Household, [{"id": pk, "category": "reception_centre", "composition": "single_adult", "size": 1 + i % 3,
                             "region_id": ref["ost"].pk, "waiting_since": date(2025, 1, 2), "waiting_target_months": 6,
                             "settlement_ready_on": date(2025, 1, 20)} for i, pk in enumerate(ids)])
    assert list(Household.objects.filter(pk__in=ids).order_by("pk").values_list("pk", "size")) == [
        (pk, 1 + i % 3) for i, pk in enumerate(ids)]


@pytest.mark.django_db
def test_history_rows_are_those_bulk_history_create_writes(make_household, users):
    from settlement.interview_models import SettlementInterview

    persons = make_household(size=2, interviewed=False).persons.order_by("pk")
    interviews = [SettlementInterview(person=p, reception_centre_id=p.household.reception_centre_id,
                                      held_on=date(2025, 3, i + 1), interviewer="Mottaksansatt", languages="arabisk",
                                      registered_by=users["admin"])
                  for i, p in enumerate(persons)]
    when = datetime(2025, 4, 1, 12, 0, tzinfo=tz.utc)
    for obj, pk in zip(interviews, reserve_ids(SettlementInterview, len(interviews))):
        obj.pk, obj.registered_at, obj.updated_at = pk, when, when  # as demo.interviews sets them
    rows = [instance_row(obj) for obj in interviews]
    insert_rows(SettlementInterview, rows)
    insert_rows(SettlementInterview.history.model, history_rows(SettlementInterview, interviews, rows, when))
    History = SettlementInterview.history.model
    ours = list(History.objects.order_by("id").values())
    History.objects.all().delete()
    SettlementInterview.history.bulk_history_create(SettlementInterview.objects.order_by("pk"), default_date=when)
    theirs = list(History.objects.order_by("id").values())
    assert len(ours) == 2 and all(row["history_change_reason"] == "" for row in ours)  # "", not NULL
    assert [{k: v for k, v in row.items() if k != "history_id"} for row in ours] == [
        {k: v for k, v in row.items() if k != "history_id"} for row in theirs]
