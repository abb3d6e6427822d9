"""The reproduction check (issue 11): the demo as of 31 October 2013 beside the 2014 evaluation's figures.

Runs `manage.py compare_with_evaluation` in its own SQLite database (never the development database, since the
command deletes demo data), and prints the table with the time the seed took.

    python benchmarks/bench_evaluation.py [--scale 1.0]
"""

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args(argv or [])
    folder = tempfile.mkdtemp(prefix="imdi_evaluation_")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder}/evaluation.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "imdi.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("compare_with_evaluation", scale=args.scale)


if __name__ == "__main__":
    main(sys.argv[1:])
