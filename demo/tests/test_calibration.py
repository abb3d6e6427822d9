"""The demo's fit of waiting times and its weighted draws give what the plain definitions give (issue 14: they were
made faster, and the seeded figures must not move)."""

import math
import random
from itertools import accumulate

from demo.calibration import fit_waits
from demo.people import draw


def plain_fit_waits(units, share, average_months, limit):
    """fit_waits as first written: lists, a sort of (value, persons) pairs, a bisection on the spread."""
    total = sum(p for p, _, _ in units)
    target_days = average_months * 365.25 / 12

    def median_for(sigma):
        values = sorted((sigma * z + bias, p) for p, z, bias in units)
        seen, cut = 0, values[-1][0]
        for v, p in values:
            seen += p
            if seen >= share * total:
                cut = v
                break
        return (limit + 0.49) / math.exp(cut)

    def average(sigma):
        m = median_for(sigma)
        return sum(p * round(m * math.exp(sigma * z + bias)) for p, z, bias in units) / total

    lo, hi = 0.05, 1.8
    for _ in range(25):
        sigma = (lo + hi) / 2
        lo, hi = (sigma, hi) if average(sigma) < target_days else (lo, sigma)
    sigma = (lo + hi) / 2
    return median_for(sigma), sigma


def test_fit_waits_is_the_plain_fit_exactly():
    rng = random.Random(7)
    for n, share, months, limit in [(1, 0.5, 6.0, 183), (40, 0.61, 6.7, 183), (3000, 0.76, 2.8, 91), (800, 0.45, 8.3, 183)]:
        units = [(rng.choice([1, 1, 1, 2, 3, 5]), rng.gauss(0, 1), rng.choice([0.25, 0.0, -0.45, -0.9])) for _ in range(n)]
        median, sigma = fit_waits(units, share, months, limit)
        assert (median, sigma) == plain_fit_waits(units, share, months, limit)
        assert type(median) is float and type(sigma) is float
    assert fit_waits([], 0.5, 6.0, 183) == (150.0, 0.7)


def test_draw_is_what_random_choices_draws():
    population, weights = ["a", "b", "c", "d"], [70, 5, 0, 25]
    cum_weights = list(accumulate(weights))
    ours, theirs = random.Random(3), random.Random(3)
    drawn = [draw(ours, population, cum_weights) for _ in range(2000)]
    assert drawn == [theirs.choices(population, cum_weights=cum_weights)[0] for _ in range(2000)]
    assert ours.random() == theirs.random()  # the same random numbers used
    assert "c" not in drawn and drawn.count("a") > drawn.count("d") > drawn.count("b") > 0
