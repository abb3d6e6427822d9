"""Two consecutive published months (issue 9): the ministry has May's and June's monthly reports and subtracts.

June's year to date minus May's is June's count, per municipality, county, region, nationality and for the
nation; May's hidden year to date is June's minus June's count; the months of the series are in both. The
attacker of test_disclosure_attack writes down every equation of each report and these between the two, adds
what the markers tell, and solves for each hidden cell of either month with a linear program: each must keep at
least two possible values. Suppressed month by month on its own, the same two reports give cells back.
"""

import random

import pytest

from core.disclosure import COMPLEMENT, SUPPRESSED, suppress_report
from core.tests.test_disclosure_attack import (
    GROUPS, NATIONALITIES, REGIONS, _get, _ranges, _split, equations, report_shape, report_tables,
)

MAY, JUNE = 5, 6
YTD_ROWS = ("national", "regions", "counties", "municipalities", "nationalities")


def history(seed: int) -> dict:
    """Settlements per municipality, nationality and target group for each month up to June (small counts)."""
    rng = random.Random(seed)
    municipalities = []
    for region, county_names in REGIONS.items():
        for county in county_names:
            for i in range(rng.randint(2, 5)):
                municipalities.append({
                    "number": f"{len(municipalities):04d}", "name": f"{county} {i}", "county": county, "region": region,
                    "settled": [rng.choice([0, 0, 0, 1, 1, 2, 3, 6]) for _ in range(JUNE)],
                    "assigned": [rng.choice([0, 1, 2, 5, 9]) for _ in range(JUNE)],
                    "requested": rng.randint(0, 40), "decided": rng.randint(0, 40)})
    national = [sum(m["settled"][k] for m in municipalities) for k in range(JUNE)]
    return {"municipalities": municipalities, "national": national, "seed": seed,
            "nationalities": [_split(rng, n, len(NATIONALITIES)) for n in national],
            "groups": [_split(rng, n, len(GROUPS)) for n in national]}


def report(h: dict, month: int) -> dict:
    """The monthly report for `month`, shaped as reporting.reports.monthly_report's (the attack test's builders)."""
    rng = random.Random(h["seed"] * 100 + month)
    k = month - 1

    def municipalities_of(county, region, first):
        return [{"number": src["number"], "name": src["name"], "county": county, "region": region,
                 "settled_month": src["settled"][k], "settled_ytd": sum(src["settled"][:month]),
                 "assigned": src["assigned"][k], "requested": src["requested"], "decided": src["decided"]}
                for src in h["municipalities"] if src["county"] == county]

    tables = report_tables(rng, municipalities_of)
    n = tables[3]
    series, cumulative = [], 0
    for i in range(12):
        settled = h["national"][i] if i < month else None
        cumulative += settled or 0
        series.append({"month": i + 1, "label": str(i + 1), "settled": settled,
                       "cumulative": cumulative if i < month else None, "target_cumulative": round(400 * (i + 1) / 12)})
    wait_nat, long_nat = _split(rng, n["waiting"], len(NATIONALITIES)), _split(rng, n["long_waiting"], len(NATIONALITIES))
    nationalities = [{"code": code, "label": code, "settled_month": h["nationalities"][k][j],
                      "settled_ytd": sum(h["nationalities"][i][j] for i in range(month)), "waiting": wait_nat[j],
                      "long_waiting": long_nat[j]} for j, code in enumerate(NATIONALITIES)]
    by_group = {g: sum(h["groups"][i][j] for i in range(month)) for j, g in enumerate(GROUPS)}
    return report_shape(rng, month, f"{month}/2025", tables, series, nationalities, by_group)


def both_months(may: dict, june: dict) -> list:
    """Each report's own equations, and the two reports' equations to each other, as paths from {"may", "june"}."""
    eqs = [((name, *t), [(name, *p) for p in ps]) for name, f in (("may", may), ("june", june)) for t, ps in equations(f)]
    for table in YTD_ROWS:
        rows = [()] if table == "national" else [(i,) for i in range(len(june[table]))]
        for row in rows:  # the same row in both (the builder keeps the order)
            eqs.append((("june", table, *row, "settled_ytd"), [("may", table, *row, "settled_ytd"), ("june", table, *row, "settled_month")]))
    eqs.append((("june", "wait_times", "ytd", "base"), [("may", "wait_times", "ytd", "base"), ("june", "wait_times", "month", "base")]))
    for i in range(MAY):
        for key in ("settled", "cumulative"):
            eqs.append((("june", "series", i, key), [("may", "series", i, key)]))
    return eqs


def hidden_in(shown, eqs):
    return {p for t, ps in eqs for p in (t, *ps) if _get(shown, p) in (SUPPRESSED, COMPLEMENT)}


SEEDS = range(4)


@pytest.mark.parametrize("seed", SEEDS)
def test_no_hidden_count_of_either_month_comes_back_by_differencing(seed):
    h = history(seed)
    raw = {"may": report(h, MAY), "june": report(h, JUNE)}
    may = suppress_report(raw["may"])
    june = suppress_report(raw["june"], previous=(raw["may"], may))
    shown = {"may": may, "june": june}
    eqs = both_months(raw["may"], raw["june"])
    hidden = hidden_in(shown, eqs)
    assert any(p[0] == "june" and _get(shown, p) == SUPPRESSED for p in hidden)
    for total, parts in eqs:
        for p in (total, *parts):
            assert _get(shown, p) in (_get(raw, p), SUPPRESSED, COMPLEMENT), p  # what is shown is true
            assert not (0 < _get(raw, p) < 5 and _get(shown, p) != SUPPRESSED), p  # and 1-4 is hidden
        in_eq = [p for p in (total, *parts) if p in hidden]
        assert len(in_eq) != 1, (total, in_eq)  # no difference of shown cells gives a hidden one
    for path, (lo, hi) in _ranges(shown, eqs).items():
        assert hi - lo >= 1 - 1e-9, (path, _get(raw, path), lo, hi)
    # May as published stays as it was: June's suppression hides more in June, never changes May.
    assert suppress_report(raw["may"]) == may


def test_months_suppressed_one_by_one_give_cells_back_by_differencing():
    """Without last month's published cells, this month's year to date minus last month's gives back hidden
    counts (the finding this protects against)."""
    recovered = 0
    for seed in SEEDS:
        h = history(seed)
        raw = {"may": report(h, MAY), "june": report(h, JUNE)}
        shown = {"may": suppress_report(raw["may"]), "june": suppress_report(raw["june"])}
        eqs = both_months(raw["may"], raw["june"])
        recovered += sum(1 for path, (lo, hi) in _ranges(shown, eqs).items() if hi - lo < 1 - 1e-9)
    assert recovered > 0
