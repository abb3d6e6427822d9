"""Indexes for the municipality's pages (issue 14), as SQL only: the models' state is unchanged.

- Registrer bosetting's "Sist bosatt": a municipality's latest settled households by date (the top 20 of 6,800
  settled Oslo households took 10 ms through (municipality, settlement_year, status) at demo scale 5).
- The inbox: a municipality's pending proposals (37 of Oslo's 7,600, read from 1,055 heap blocks).
"""

from django.db import migrations

INDEXES = [
    ("settlement_household_settled_recent", "settlement_household", "(municipality_id, status, settled_on)"),
    ("settlement_proposal_municipality_status", "settlement_proposal", "(municipality_id, status)"),
]


class Migration(migrations.Migration):
    dependencies = [("settlement", "0010_household_placement_before_exit")]

    operations = [
        migrations.RunSQL(f"CREATE INDEX IF NOT EXISTS {name} ON {table} {columns}", f"DROP INDEX IF EXISTS {name}")
        for name, table, columns in INDEXES
    ]
