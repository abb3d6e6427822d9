import gc
from datetime import date

from django.core.management.base import BaseCommand
from django.db import connection, transaction

from demo.pipeline import clear_demo, demo_data_exists, seed_demo
from demo.store import FLOW_MODELS, demo_models


DEMO_TOKENS = [
    ("udi-klient", "UDI: registrere bosettingsklare", ["persons:write", "persons:read"]),
    ("bufetat-klient", "Bufetat: enslige mindreårige", ["minors:read"]),
    ("departement", "BLD: aggregater", ["aggregates:read", "reports:read"]),
]


def analyze(models=None) -> None:
    """Planner statistics after a bulk load (issue 14): without them PostgreSQL plans the next queries for empty tables.
    Every table, or on PostgreSQL those of `models` (SQLite's ANALYZE takes one table)."""
    tables = ""
    if connection.vendor == "postgresql":
        tables = ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models or [])
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")


class Command(BaseCommand):
    # No system checks (1.2 s: they import every view, and PDF and matching libraries with them): `make run` has run
    # them in `migrate` just before, and the seed uses none of what they check (issue 14).
    requires_system_checks = []
    help = ("Load reference data and a deterministic demo of the whole country calibrated to the 2014 evaluation, on the "
            "as-of date (skips if cases exist; --reset to rebuild).")

    def add_arguments(self, parser):
        parser.add_argument("--as-of", type=date.fromisoformat, default=None, help="Date the demo ends (default: today)")
        parser.add_argument("--scale", type=float, default=1.0, help="Volume factor (1.0 = the whole country: about 6,700 persons settled in 2013)")
        parser.add_argument("--seed", type=int, default=2014)
        parser.add_argument("--reset", action="store_true", help="Delete existing cases first")

    def demo_tokens(self) -> str:
        from django.contrib.auth import get_user_model

        from core.api.auth import issue_token

        lines = ["API tokens for the demo (shown once; header «Authorization: Token <key>», docs at /api/v1/docs/):"]
        for username, name, scopes in DEMO_TOKENS:
            _, key = issue_token(get_user_model().objects.get(username=username), name, scopes)
            lines.append(f"  {name} ({', '.join(scopes)}): {key}")
        return "\n".join(lines)

    def handle(self, *args, as_of, scale, seed, reset, **options):
        # Without the cyclic garbage collector while seeding: the seed makes about a million objects that live until
        # it ends (plans, rows, model instances), and each collection walked them all again (about 1 s of the 6 s of
        # CPU at scale 1, issue 14); the few cycles it leaves add 3 MB. Collected as usual afterwards.
        collecting = gc.isenabled()
        gc.disable()
        try:
            self.seed_in_one_transaction(as_of=as_of, scale=scale, seed=seed, reset=reset)
        finally:
            if collecting:
                gc.enable()

    def seed_in_one_transaction(self, *, as_of, scale, seed, reset):
        # One transaction for the whole seed: a commit waits for the disk, and the services below commit once each
        # (59 commits, 2.8 s of `seed_demo --reset`, issue 14); nothing half-seeded is left if a step fails.
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # A demo need not wait for the disk at commit (2.2 s on a busy machine): after a crash in the next
                # moment the seed is simply not there, never half there.
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL synchronous_commit = off")
            self.seed(as_of=as_of, scale=scale, seed=seed, reset=reset)

    def seed(self, *, as_of, scale, seed, reset):
        if demo_data_exists():
            if not reset:
                self.stdout.write("Demo data already present; use --reset to rebuild.")
                return
            clear_demo()
        import time

        started = time.perf_counter()
        builder = seed_demo(as_of=as_of, scale=scale, seed=seed)
        analyze()  # fresh statistics before the reports and grants query what was just loaded
        seeded = time.perf_counter() - started
        from demo.reporting import seed_reports

        # The last full months and the goal reports, computed and published (suppressed for the ministry) so the
        # ministry dashboard shows data after seeding; publishing a month takes well under a second (issue 14).
        reports = seed_reports(builder.as_of)
        self.stdout.write(f"Computed and published {len(reports)} report snapshots.")
        from demo.agreements import seed_agreements
        from demo.grants import seed_grants

        seed_grants(builder.as_of, scale=scale)
        self.stdout.write(f"Seeded grants and {seed_agreements(builder.as_of)} partnership agreements.")
        from demo.reunification import seed_reunification  # issue 12: reunified families, a transfer

        self.stdout.write(seed_reunification(builder.as_of))
        from demo.requests import seed_request_letters  # issue 12: contact register and request letters

        self.stdout.write(seed_request_letters(builder.as_of))
        from demo.interviews import seed_interviews  # issue 12: reception-centre users and settlement interviews

        self.stdout.write(seed_interviews(builder.as_of))
        analyze(m for m in demo_models() if m not in FLOW_MODELS)  # what was written since the first
        from settlement.models import Household, HouseholdStatus, Person

        counts = {s.label: Household.objects.filter(status=s).count() for s in HouseholdStatus}
        self.stdout.write(self.style.SUCCESS(
            f"Seeded in {seeded:.1f} s (settlement flow) + {time.perf_counter() - started - seeded:.1f} s (reports, grants, "
            f"agreements):  {Household.objects.count()} households ({Person.objects.count()} persons) up to {builder.as_of}: "
            + ", ".join(f"{k}: {v}" for k, v in counts.items())
        ))
        self.stdout.write(self.demo_tokens())
        self.stdout.write("Log in at http://127.0.0.1:8000/ as saksbehandler.ost, kommune.0301 or departement (password: demo).")
