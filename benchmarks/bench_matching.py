"""Matching engine at national scale: 1,000, 5,000 and 20,000 households against 356 municipalities.

Side by side in one run, per size: the exact class model (HiGHS) with its time, objective and the gap
it proves, the greedy baseline's time and objective and its ratio to the exact optimum, and the LP
bound of the class model. Goals on 2 cores: proven within 0.01 % in under 0.5 s, 5 s and 20 s.

    python benchmarks/bench_matching.py [--households 1000 5000 20000] [--municipalities 356] [--seed 1]

BENCH_MATCHING_HOUSEHOLDS (comma separated, default 1000,5000,20000) sets the sizes: 1000,5000 leaves out the
20,000-household run where a slow machine would spend minutes on it. Each figure is printed next to its limit as a
ratio (≤ 1 meets it), and as a `LIMIT` line that benchmarks/run.py gathers into one table.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from settlement.matching import HouseholdNeed, MunicipalitySlot, greedy, solve, upper_bound  # noqa: E402


def problem(n_households: int, n_municipalities: int, seed: int):
    rng = random.Random(seed)
    municipalities = []
    for i in range(n_municipalities):
        population = int(rng.lognormvariate(9.0, 1.1)) + 500
        capacity = max(2, int(population / 800 * rng.uniform(0.3, 1.4)))
        municipalities.append(MunicipalitySlot(i, capacity, minor_capacity=rng.choice([0, 0, 0, 2, 4, 8]),
                                               population=population, region_id=i % 6))
    households = []
    for i in range(n_households):
        minor = rng.random() < 0.08
        size = 1 if minor or rng.random() < 0.6 else rng.randint(2, 6)
        households.append(HouseholdNeed(i, size, rng.randint(0, 540), minor=minor,
                                        tied_municipality_id=rng.randrange(n_municipalities) if rng.random() < 0.1 else None,
                                        special_needs=rng.random() < 0.07, region_id=rng.randrange(6)))
    return households, municipalities


GOALS = {1000: 0.5, 5000: 5.0, 20000: 20.0}  # seconds to a proven optimum on 2 cores (issue 14)
GAP_LIMIT = 1e-4  # a proven relative gap of at most 0.01 %


def limit_line(figure: str, value: float, limit: float, unit: str) -> str:
    """One figure next to its limit, for benchmarks/run.py's summary (ratio ≤ 1 meets it)."""
    return "LIMIT " + json.dumps({"bench": "matching", "figure": figure, "value": value, "limit": limit, "unit": unit})


def default_sizes() -> list[int]:
    return [int(n) for n in os.environ.get("BENCH_MATCHING_HOUSEHOLDS", "1000,5000,20000").split(",") if n.strip()]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, nargs="+", default=default_sizes())
    parser.add_argument("--municipalities", type=int, default=356)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args(argv or [])
    print("| households | persons | places | exact s | goal s | exact/goal | objective | proven gap | gap/0.01 % | method "
          "| greedy s | greedy objective | greedy/exact | LP bound | LP s |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|", flush=True)
    limits = []
    for n in args.households:
        households, municipalities = problem(n, args.municipalities, args.seed)
        exact = solve(households, municipalities, time_limit=args.time_limit)
        base = greedy(households, municipalities)
        t0 = time.perf_counter()
        bound = upper_bound(households, municipalities)
        bound_s = time.perf_counter() - t0
        goal = GOALS.get(n)
        gap = exact.mip_gap if exact.mip_gap is not None else float("nan")
        print(f"| {n:,} | {sum(h.size for h in households):,} | {sum(m.capacity for m in municipalities):,} "
              f"| {exact.seconds:.2f} | {goal if goal else ''} | {f'{exact.seconds / goal:.2f}' if goal else ''} "
              f"| {exact.objective:,.1f} | {100 * gap:.4f} % | {gap / GAP_LIMIT:.2f} | {exact.method_label} "
              f"| {base.seconds:.2f} | {base.objective:,.1f} | {100 * base.objective / exact.objective:.2f} % "
              f"| {bound:,.1f} | {bound_s:.2f} |", flush=True)
        if goal:
            limits.append(limit_line(f"matching {n:,} households: seconds to a proven optimum", exact.seconds, goal, "s"))
        limits.append(limit_line(f"matching {n:,} households: proven gap", 100 * gap, 100 * GAP_LIMIT, "%"))
    print()
    print("\n".join(limits), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
