"""Run every benchmark in this folder (each bench_*.py), one process each so that each can set up Django on its
own database, and print their Markdown tables one after the other. BENCH_ONLY=reports,pages runs a subset."""

import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent

if __name__ == "__main__":
    only = {n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()}
    failed = []
    for path in sorted(HERE.glob("bench_*.py")):
        if only and path.stem.removeprefix("bench_") not in only:
            continue
        print(f"\n## {path.stem}\n", flush=True)
        t0 = time.perf_counter()
        if subprocess.run([sys.executable, str(path)], cwd=HERE.parent).returncode:
            failed.append(path.stem)
        print(f"\n({path.stem}: {time.perf_counter() - t0:.0f} s)", flush=True)
    sys.exit(f"failed: {', '.join(failed)}" if failed else 0)
