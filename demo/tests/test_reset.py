"""`seed_demo --reset` clears the demo in one statement per table (issue 14: the reset wrote a history row per deleted
row, one at a time, 29.9 s at scale 1), and what refers to the cases goes with them."""

from datetime import date

import pytest

from core.testing import count_queries
from demo.pipeline import clear_demo, seed_demo
from demo.store import demo_models
from grants.models import GrantClaim
from settlement.models import Household, MatchingRun, Person, Proposal

AS_OF = date(2026, 6, 30)


@pytest.mark.django_db
def test_reset_is_one_statement_per_table_and_writes_no_history():
    seed_demo(as_of=AS_OF, scale=0.05)
    MatchingRun.objects.create(year=2026, assignments={"1": 2})
    households = Household.objects.count()
    assert households > 100 and Proposal.objects.exists()
    with count_queries() as q:
        clear_demo()
    # Not a statement per row: at most one per table (and the savepoint's own).
    assert len(q) <= len(demo_models()) + 2 < households
    for model in (Household, Person, Proposal, MatchingRun):
        assert not model.objects.exists()
    assert not Household.history.exists() and not Person.history.exists()  # no row of history per deleted row
    assert not GrantClaim.history.exists()
    # The seed comes back the same on the cleared database.
    seed_demo(as_of=AS_OF, scale=0.05)
    assert Household.objects.count() == households


@pytest.mark.django_db
def test_reset_leaves_no_dead_rows_behind():
    """On PostgreSQL the tables are truncated: a DELETE kept every row as a dead one until a VACUUM, and with
    autovacuum off each reset made the tables, and the next seed, larger and slower."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's storage")
    seed_demo(as_of=AS_OF, scale=0.02)
    clear_demo()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_relation_size('settlement_household') + pg_relation_size('settlement_householdevent')")
        assert cursor.fetchone()[0] == 0  # no pages left: a DELETE leaves them all
