from django.core.management.base import BaseCommand

from demo.evaluation import AS_OF, evaluation_rows, format_table
from demo.pipeline import clear_demo, seed_demo


class Command(BaseCommand):
    help = ("Rebuild the demo as of 31 October 2013 and print its figures beside the 2014 evaluation's. "
            "DELETES all demo data (cases, decisions, grants, agreements, report snapshots) in this database first.")

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Volume factor (1.0 = the whole country)")
        parser.add_argument("--seed", type=int, default=2014)

    def handle(self, *args, scale, seed, **options):
        import time

        clear_demo()
        started = time.perf_counter()
        seed_demo(as_of=AS_OF, scale=scale, seed=seed)
        seeded = time.perf_counter() - started
        rows = evaluation_rows(scale)
        self.stdout.write(f"Demo as of {AS_OF:%d.%m.%Y}, scale {scale:g}, seed {seed}: seeded in {seeded:.1f} s, "
                          f"figures in {time.perf_counter() - started - seeded:.1f} s. Counts are the evaluation's "
                          f"whole-country figures x scale; pp = percentage points.")
        self.stdout.write(format_table(rows))
