"""The monthly report lists the municipalities of its month, not every municipality ever loaded (issue 14).

The frame is the municipalities that existed some day of the month (valid_from/valid_to, KLASS), and any other
that a figure of the month is for (a household placed in, a decision by or a request to a municipality merged away
since): such a row stays in its own county and region, so every total is the sum over all municipalities as before.
"""

from collections import defaultdict
from datetime import date

from core.models import Municipality
from core.services import load_reference_data
from reporting.reports import monthly_report

FIGURES = ("settled_month", "settled_ytd", "assigned", "used", "requested", "decided", "decided_minors")


def _has_figures(row: dict) -> bool:
    return any(row[f] for f in FIGURES) or row["has_decision"]


def test_the_frame_is_the_months_municipalities_and_those_with_figures(data):
    load_reference_data(history=True)  # every municipality since 2014, with its validity
    june = date(2025, 6, 1)
    report = monthly_report(2025, 6)
    listed = {r["number"]: r for r in report["municipalities"]}
    existing = set(Municipality.objects.valid_on(june).values_list("number", flat=True))
    assert existing <= set(listed)
    assert Municipality.objects.count() > len(listed)  # not every municipality ever loaded
    old = {n: r for n, r in listed.items() if n not in existing}
    # The 2014 rows the dataset settles in, decides for or asks places of, merged or renumbered since, stay listed.
    assert set(old) == {"1201", "1902", "0219"}
    assert all(_has_figures(r) for r in old.values())
    assert not Municipality.objects.get(number="0219").is_valid_on(june)
    # 0101 Halden (merged 2020) has nothing this month: left out.
    assert "0101" not in listed


def test_totals_are_the_sums_over_every_municipality(data):
    """Nation, regions and counties add up from the listed rows, and no municipality left out had a figure."""
    load_reference_data(history=True)
    report = monthly_report(2025, 6)
    rows = report["municipalities"]
    for f in ("settled_month", "settled_ytd", "assigned", "used", "requested", "decided"):
        assert report["national"][f] == sum(r[f] for r in rows), f
        by_region, by_county = defaultdict(int), defaultdict(int)
        for r in rows:
            by_region[r["region"]] += r[f]
            by_county[r["county"]] += r[f]
        assert {r["name"]: r[f] for r in report["regions"] if r[f]} == {k: v for k, v in by_region.items() if v}, f
        assert {c["name"]: c[f] for c in report["counties"] if c[f]} == {k: v for k, v in by_county.items() if v}, f
    # The known totals of the dataset (test_reports_monthly): unchanged by the frame.
    assert (report["national"]["settled_ytd"], report["national"]["decided"], report["national"]["requested"]) == (10, 19, 26)
    assert {r["name"]: r["settled_ytd"] for r in report["regions"] if r["settled_ytd"]} == {"Øst": 3, "Vest": 4, "Nord": 3}
