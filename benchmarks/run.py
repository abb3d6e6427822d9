"""Run every benchmark in this folder (each bench_*.py), one process each so that each can set up Django on its
own database, and print their Markdown tables one after the other, then one table of every figure next to its limit
as a ratio (≤ 1 meets it), gathered from the `LIMIT {json}` lines the benchmarks print (figure, value, limit, unit).
BENCH_ONLY=reports,pages runs a subset."""

import json
import os
import pathlib
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent


def run(path: pathlib.Path, limits: list[dict]) -> int:
    """Run one benchmark, passing its output through as it comes, except the LIMIT lines, which are gathered."""
    proc = subprocess.Popen([sys.executable, str(path)], cwd=HERE.parent, stdout=subprocess.PIPE, text=True, bufsize=1)
    for line in proc.stdout:
        if line.startswith("LIMIT "):
            try:
                limits.append(json.loads(line[6:]))
            except ValueError:
                print(line, end="")
            continue
        print(line, end="", flush=True)
    return proc.wait()


def summary(limits: list[dict]) -> list[str]:
    lines = ["| benchmark | figure | value | limit | ratio | within |", "|---|---|---:|---:|---:|---|"]
    for x in limits:
        value, limit, unit = x["value"], x["limit"], x.get("unit", "")
        ratio = value / limit if limit else float("inf") if value else 0.0
        lines.append(f"| {x.get('bench', '')} | {x['figure']} | {value:,.4g} {unit} | {limit:,.4g} {unit} | {ratio:.2f} "
                     f"| {'yes' if ratio <= 1 else '**no**'} |")
    return lines


if __name__ == "__main__":
    only = {n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()}
    failed, limits = [], []
    for path in sorted(HERE.glob("bench_*.py")):
        if only and path.stem.removeprefix("bench_") not in only:
            continue
        print(f"\n## {path.stem}\n", flush=True)
        t0 = time.perf_counter()
        if run(path, limits):
            failed.append(path.stem)
        print(f"\n({path.stem}: {time.perf_counter() - t0:.0f} s)", flush=True)
    if limits:
        print("\n## Every figure next to its limit\n")
        print("\n".join(summary(limits)))
    sys.exit(f"failed: {', '.join(failed)}" if failed else 0)
