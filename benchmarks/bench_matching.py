"""Matching engine at national scale: 1,000, 5,000 and 20,000 households against 356 municipalities.

Side by side in one run, per size: the exact class model (HiGHS) with its time, objective and the gap
it proves, the greedy baseline's time and objective and its ratio to the exact optimum, and the LP
bound of the class model. Goals on 2 cores: proven within 0.01 % in under 0.5 s, 5 s and 20 s.

    python benchmarks/bench_matching.py [--households 1000 5000 20000] [--municipalities 356] [--seed 1]
"""

import argparse
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


GOALS = {1000: 0.5, 5000: 5.0, 20000: 20.0}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, nargs="+", default=[1000, 5000, 20000])
    parser.add_argument("--municipalities", type=int, default=356)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--time-limit", type=float, default=60.0)
    args = parser.parse_args(argv or [])
    header = (f"{'households':>10} {'persons':>7} {'places':>6} | {'exact s':>7} {'goal s':>6} {'objective':>11} {'proven gap':>10} "
              f"{'method':<9} | {'greedy s':>8} {'objective':>11} {'greedy/exact':>12} | {'LP bound':>11} {'LP s':>5}")
    print(header)
    print("-" * len(header))
    for n in args.households:
        households, municipalities = problem(n, args.municipalities, args.seed)
        exact = solve(households, municipalities, time_limit=args.time_limit)
        base = greedy(households, municipalities)
        t0 = time.perf_counter()
        bound = upper_bound(households, municipalities)
        bound_s = time.perf_counter() - t0
        goal = GOALS.get(n)
        print(f"{n:>10,} {sum(h.size for h in households):>7,} {sum(m.capacity for m in municipalities):>6,} | "
              f"{exact.seconds:>7.2f} {goal if goal else '':>6} {exact.objective:>11,.1f} {100 * exact.mip_gap:>9.4f}% "
              f"{exact.method.split(':')[0]:<9} | {base.seconds:>8.2f} {base.objective:>11,.1f} {100 * base.objective / exact.objective:>11.2f}% | "
              f"{bound:>11,.1f} {bound_s:>5.2f}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
