"""Matching engine at national scale: 5,000 households against 356 municipalities.

Prints the MILP's solve time and objective and the greedy baseline, each as a share of the exact
optimum. The share is taken against the LP relaxation of the full model (every feasible
household–municipality pair), which no assignment can beat: the printed shares are lower bounds.

    python benchmarks/bench_matching.py [--households 5000] [--municipalities 356] [--seed 1]
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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--municipalities", type=int, default=356)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv or [])
    households, municipalities = problem(args.households, args.municipalities, args.seed)
    persons = sum(h.size for h in households)
    places = sum(m.capacity for m in municipalities)
    print(f"{len(households):,} households ({persons:,} persons) against {len(municipalities)} municipalities ({places:,} places)")

    fast = solve(households, municipalities, per_household=25, time_limit=30, gap=0.002)
    base = greedy(households, municipalities, per_household=25)
    t0 = time.perf_counter()
    bound = upper_bound(households, municipalities)
    bound_s = time.perf_counter() - t0
    print(f"MILP (HiGHS, 25 candidates per household, then greedy fill): {fast.seconds:.2f} s, objective {fast.objective:,.1f}, "
          f"placed {len(fast.assignments):,} households  [{fast.message}]")
    print(f"greedy baseline:                                             {base.seconds:.2f} s, objective {base.objective:,.1f}, "
          f"placed {len(base.assignments):,} households")
    print(f"upper bound on the exact optimum (LP relaxation of the full model, every feasible pair): {bound:,.1f} ({bound_s:.1f} s)")
    print(f"share of the exact optimum: MILP >= {100 * fast.objective / bound:.2f} %, greedy >= {100 * base.objective / bound:.2f} %")


if __name__ == "__main__":
    main(sys.argv[1:])
