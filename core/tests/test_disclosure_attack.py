"""An attacker with the ministry's view of a monthly report tries to recover every hidden count.

The figures are report-shaped (reporting.reports.monthly_report's keys) with many small counts, random
but seeded. The attacker writes down every equation the report's tables satisfy (totals minus visible
siblings, months to the year to date, running sums, identities between tables), adds what a marker
tells (a "<5" is 1 to 4, a ":" is 5 or more), and solves for the smallest and largest value of each
hidden cell with a linear program. Each must keep at least two possible values. Derived figures
(place use x decided - settled, share x base) must not be shown next to a hidden count.
"""

import random

import pytest
from scipy.optimize import linprog

from core.disclosure import COMPLEMENT, SUPPRESSED, suppress_report

REGIONS = {"Nord": ["Nordland", "Troms"], "Midt": ["Trøndelag"], "Vest": ["Vestland", "Rogaland"], "Øst": ["Viken", "Innlandet", "Oslo"]}
GROUPS = ["single_adult", "family_with_children", "family_without_children", "unaccompanied_minor", "resettlement"]
GENERAL = [g for g in GROUPS if g != "unaccompanied_minor"]
TARGETS = {"general_within_6m": GENERAL, "general_within_12m": GENERAL, "families_within_3m": ["family_with_children"],
           "minors_within_3m": ["unaccompanied_minor"]}
NATIONALITIES = ["SY", "ER", "AF", "SO", "UA", "IQ", "SD", "CD"]
MONTH = 6


def _small(rng):
    return rng.choice([0, 0, 1, 1, 2, 3, 4, 5, 6, 8, 12, 20])


def _split(rng, n, k):
    """n persons over k cells, skewed so that many cells are small."""
    weights = [rng.random() ** 3 for _ in range(k)]
    out = [0] * k
    for _ in range(n):
        out[rng.choices(range(k), weights)[0]] += 1
    return out


def _share(part, whole):
    return round(100.0 * part / whole, 1) if whole else None


def _stats(rng, base):
    if not base:
        return {"base": 0, "average_months": None, "median_months": None, "share_within_3m": None,
                "share_within_6m": None, "share_within_12m": None}
    w3 = rng.randint(0, base)
    w6 = rng.randint(w3, base)
    return {"base": base, "average_months": round(rng.uniform(1, 9), 1), "median_months": round(rng.uniform(1, 9), 1),
            "share_within_3m": _share(w3, base), "share_within_6m": _share(w6, base), "share_within_12m": _share(rng.randint(w6, base), base)}


def report_tables(rng, municipalities_of) -> tuple[list, list, list, dict]:
    """Municipalities, counties, regions and the nation, each county's rows from `municipalities_of(county, region)`
    (in REGIONS' order) and every total their sum; the waiting counts drawn for the nation and split over regions."""
    keys = ("settled_month", "settled_ytd", "assigned", "requested", "decided")
    municipalities, counties, regions = [], [], []
    n = dict.fromkeys(keys, 0)
    for region, county_names in REGIONS.items():
        r = {"name": region, **dict.fromkeys(keys, 0)}
        for county in county_names:
            c = {"number": county, "name": county, "region": region, **dict.fromkeys(keys, 0)}
            for m in municipalities_of(county, region, len(municipalities)):
                m["place_use"] = _share(m["settled_ytd"] + m["assigned"], m["decided"])
                municipalities.append(m)
                for row in (c, r, n):
                    for k in keys:
                        row[k] += m[k]
            c["place_use"] = _share(c["settled_ytd"] + c["assigned"], c["decided"])
            counties.append(c)
        regions.append(r)
    n.update(place_use=_share(n["settled_ytd"] + n["assigned"], n["decided"]), need=400,
             share_of_need=_share(n["settled_ytd"], 400), waiting=rng.randint(15, 40))
    n["long_waiting"] = rng.randint(3, n["waiting"])
    for r, w, lw in zip(regions, _split(rng, n["waiting"], len(regions)), _split(rng, n["long_waiting"], len(regions))):
        r.update(waiting=w, long_waiting=lw, place_use=_share(r["settled_ytd"] + r["assigned"], r["decided"]))
    return municipalities, counties, regions, n


def report_shape(rng, month: int, label: str, tables, series, nationalities, by_group) -> dict:
    """The whole report as reporting.reports.monthly_report shapes it, around the tables: targets and wait times
    drawn for the persons of each group."""
    municipalities, counties, regions, n = tables
    targets = []
    for key, groups in TARGETS.items():
        base = sum(by_group[g] for g in groups)
        actual = _share(rng.randint(0, base), base)
        targets.append({"key": key, "label": key, "target": 70.0, "actual": actual, "base": base,
                        "met": None if actual is None else actual >= 70.0})
    return {
        "kind": "monthly", "period": {"year": 2025, "month": month, "label": label},
        "national": {**n, "decisions": {"more": 3, "same": 4, "fewer": 5, "nothing": 6}},
        "series": series,
        "waiting_by_group": [{"group": g, "label": g, "persons": p, "long_waiting": lw} for g, p, lw in
                             zip(GROUPS, _split(rng, n["waiting"], len(GROUPS)), _split(rng, n["long_waiting"], len(GROUPS)))],
        "wait_times": {"month": _stats(rng, n["settled_month"]), "ytd": _stats(rng, n["settled_ytd"]),
                       "by_group": [{"group": g, "label": g, **_stats(rng, by_group[g])} for g in GROUPS],
                       "distribution": [{"label": str(i), "persons": p} for i, p in enumerate(_split(rng, n["settled_ytd"], 5))]},
        "targets": targets, "regions": regions, "counties": counties, "municipalities": municipalities,
        "nationalities": nationalities,
    }


def monthly_figures(seed: int) -> dict:
    rng = random.Random(seed)

    def municipalities_of(county, region, first):
        rows = []
        for i in range(rng.randint(2, 6)):
            month = _small(rng)
            rows.append({"number": f"{first + i:04d}", "name": f"{county} {i}", "county": county, "region": region,
                         "settled_month": month, "settled_ytd": month + _small(rng), "assigned": _small(rng),
                         "requested": rng.randint(0, 40), "decided": rng.randint(0, 40)})
        return rows

    tables = report_tables(rng, municipalities_of)
    n = tables[3]
    earlier = _split(rng, n["settled_ytd"] - n["settled_month"], MONTH - 1) + [n["settled_month"]]
    cumulative = 0
    series = []
    for m in range(1, 13):
        settled = earlier[m - 1] if m <= MONTH else None
        cumulative += settled or 0
        series.append({"month": m, "label": str(m), "settled": settled, "cumulative": cumulative if m <= MONTH else None,
                       "target_cumulative": round(400 * m / 12)})
    month_nat = _split(rng, n["settled_month"], len(NATIONALITIES))
    before_nat = _split(rng, n["settled_ytd"] - n["settled_month"], len(NATIONALITIES))
    wait_nat = _split(rng, n["waiting"], len(NATIONALITIES))
    long_nat = _split(rng, n["long_waiting"], len(NATIONALITIES))
    nationalities = [{"code": c, "label": c, "settled_month": a, "settled_ytd": a + b, "waiting": w, "long_waiting": lw}
                     for c, a, b, w, lw in zip(NATIONALITIES, month_nat, before_nat, wait_nat, long_nat)]
    by_group = {g: b for g, b in zip(GROUPS, _split(rng, n["settled_ytd"], len(GROUPS)))}
    return report_shape(rng, MONTH, "juni 2025", tables, series, nationalities, by_group)


def equations(f: dict) -> list[tuple[tuple, list[tuple]]]:
    """Every (total, parts) the attacker can write down, as paths to cells, from the table layout alone."""
    eqs = []

    def rollup(parts, total, pairs):
        for pk, tk in pairs:
            eqs.append((total + (tk,), [p + (pk,) for p in parts]))

    moves = [(k, k) for k in ("settled_month", "settled_ytd", "assigned")]
    for ci, c in enumerate(f["counties"]):
        rollup([("municipalities", i) for i, m in enumerate(f["municipalities"]) if m["county"] == c["name"]], ("counties", ci), moves)
    for ri, r in enumerate(f["regions"]):
        rollup([("counties", i) for i, c in enumerate(f["counties"]) if c["region"] == r["name"]], ("regions", ri), moves)
        # Skipping the counties: municipalities straight to their region.
        rollup([("municipalities", i) for i, m in enumerate(f["municipalities"]) if m["region"] == r["name"]], ("regions", ri), moves)
    nat = ("national",)
    rollup([("regions", i) for i in range(len(f["regions"]))], nat, moves + [("waiting", "waiting"), ("long_waiting", "long_waiting")])
    rollup([("municipalities", i) for i in range(len(f["municipalities"]))], nat, moves)
    rollup([("nationalities", i) for i in range(len(f["nationalities"]))], nat,
           [("settled_month", "settled_month"), ("settled_ytd", "settled_ytd"), ("waiting", "waiting"), ("long_waiting", "long_waiting")])
    rollup([("waiting_by_group", i) for i in range(len(f["waiting_by_group"]))], nat, [("persons", "waiting"), ("long_waiting", "long_waiting")])
    months = [i for i, s in enumerate(f["series"]) if s["settled"] is not None]
    rollup([("series", i) for i in months], nat, [("settled", "settled_ytd")])
    eqs.append((nat + ("settled_month",), [("series", months[-1], "settled")]))
    for i in months:  # differences between months of the cumulative series
        eqs.append((("series", i, "cumulative"), [("series", i, "settled")] + ([("series", i - 1, "cumulative")] if i else [])))
    wt = ("wait_times",)
    eqs.append((nat + ("settled_ytd",), [wt + ("ytd", "base")]))
    eqs.append((nat + ("settled_month",), [wt + ("month", "base")]))
    rollup([wt + ("by_group", i) for i in range(len(GROUPS))], wt + ("ytd",), [("base", "base")])
    rollup([wt + ("distribution", i) for i in range(5)], wt + ("ytd",), [("persons", "base")])
    for ti, t in enumerate(f["targets"]):
        rollup([wt + ("by_group", GROUPS.index(g)) for g in TARGETS[t["key"]]], ("targets", ti), [("base", "base")])
    return eqs


def _get(f, path):
    for p in path:
        f = f[p]
    return f


def _ranges(shown: dict, eqs) -> dict:
    """The smallest and largest value of every hidden cell that fits all equations and all markers."""
    hidden = sorted({p for t, ps in eqs for p in (t, *ps) if _get(shown, p) in (SUPPRESSED, COMPLEMENT)})
    index = {p: i for i, p in enumerate(hidden)}
    a_eq, b_eq = [], []
    for total, parts in eqs:
        row, rhs = [0.0] * len(hidden), 0.0
        for path, coef in [(total, -1.0)] + [(p, 1.0) for p in parts]:
            value = _get(shown, path)
            if path in index:
                row[index[path]] += coef
            else:
                rhs -= coef * value
        if any(row):
            a_eq.append(row)
            b_eq.append(rhs)
    bounds = [(1, 4) if _get(shown, p) == SUPPRESSED else (5, None) for p in hidden]
    out = {}
    for p, i in index.items():
        c = [0.0] * len(hidden)
        c[i] = 1.0
        lo = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        c[i] = -1.0
        hi = linprog(c, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
        assert lo.status == 0 and hi.status in (0, 3), (p, lo.message)  # 3: unbounded above
        out[p] = (lo.fun, float("inf") if hi.status == 3 else -hi.fun)
    return out


SEEDS = range(12)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_hidden_count_can_be_recovered_from_the_visible_cells(seed):
    raw = monthly_figures(seed)
    shown = suppress_report(raw)
    eqs = equations(raw)
    hidden = {p for t, ps in eqs for p in (t, *ps) if _get(shown, p) in (SUPPRESSED, COMPLEMENT)}
    assert any(_get(shown, p) == SUPPRESSED for p in hidden)  # the data do have small counts

    # Every shown count is the true one, and every count of 1-4 is hidden.
    for total, parts in eqs:
        for p in (total, *parts):
            assert _get(shown, p) in (_get(raw, p), SUPPRESSED, COMPLEMENT)
            assert not (0 < _get(raw, p) < 5 and _get(shown, p) != SUPPRESSED), p

    # Totals minus visible siblings: no equation holds exactly one hidden cell.
    for total, parts in eqs:
        in_eq = [p for p in (total, *parts) if p in hidden]
        assert len(in_eq) != 1, (total, in_eq)

    # Every combination of equations and markers leaves each hidden cell at least two values.
    for path, (lo, hi) in _ranges(shown, eqs).items():
        assert hi - lo >= 1 - 1e-9, (path, _get(raw, path), lo, hi)

    # Place use x decided - settled: place use is only shown beside the counts it is made of.
    for table in ("municipalities", "counties", "regions"):
        for row in shown[table]:
            if row["place_use"] is not None:
                assert isinstance(row["settled_ytd"], int) and isinstance(row["assigned"], int), row
    n = shown["national"]
    assert n["place_use"] is None or isinstance(n["assigned"], int) and isinstance(n["settled_ytd"], int)
    assert n["share_of_need"] is None or isinstance(n["settled_ytd"], int)

    # Share x base: shares and averages only from a shown base of five or more.
    stats = [shown["wait_times"]["month"], shown["wait_times"]["ytd"], *shown["wait_times"]["by_group"]]
    for row in stats:
        if not (isinstance(row["base"], int) and row["base"] >= 5):
            assert [row[k] for k in ("average_months", "median_months", "share_within_3m", "share_within_6m", "share_within_12m")] == [None] * 5
    for t in shown["targets"]:
        if not (isinstance(t["base"], int) and t["base"] >= 5):
            assert (t["actual"], t["met"]) == (None, None)


def test_the_old_policy_lost_to_this_attacker():
    """Primary suppression alone (1-4 read "<5") leaves cells that the equations give back."""
    raw = monthly_figures(0)
    shown = {**raw}
    import copy

    shown = copy.deepcopy(raw)
    eqs = equations(raw)
    for total, parts in eqs:
        for p in (total, *parts):
            if 0 < _get(raw, p) < 5:
                _get(shown, p[:-1])[p[-1]] = SUPPRESSED
    pinned = [p for p, (lo, hi) in _ranges(shown, eqs).items() if hi - lo < 1]
    assert pinned
