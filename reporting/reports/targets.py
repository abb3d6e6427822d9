"""The 2013 allocation letter's targets (tildelingsbrev) for the monthly report.

The general targets count everyone but unaccompanied minors.
"""

from .common import Histogram, share

# Share settled within a number of months: key, label, target (%).
ALLOCATION_TARGETS = [
    ("general_within_6m", "Bosatt innen 6 måneder (alle unntatt enslige mindreårige)", 70.0),
    ("general_within_12m", "Bosatt innen 12 måneder (resten innen ett år)", 100.0),
    ("families_within_3m", "Barnefamilier bosatt innen 3 måneder", 75.0),
    ("minors_within_3m", "Enslige mindreårige bosatt innen 3 måneder", 90.0),
]


def allocation_target_results(hists_by_group: dict) -> list[dict]:
    """Actual shares against the allocation letter's targets, from histograms keyed by group."""
    general = Histogram()
    for g, h in hists_by_group.items():
        if g != "unaccompanied_minor":
            general.merge(h)
    families = hists_by_group.get("family_with_children", Histogram())
    minors = hists_by_group.get("unaccompanied_minor", Histogram())
    actual = {
        "general_within_6m": (general.within(6), general.count),
        "general_within_12m": (general.within(12), general.count),
        "families_within_3m": (families.within(3), families.count),
        "minors_within_3m": (minors.within(3), minors.count),
    }
    results = []
    for key, label, target in ALLOCATION_TARGETS:
        part, base = actual[key]
        actual_share = share(part, base)
        results.append({"key": key, "label": label, "target": target, "actual": actual_share, "base": base,
                        "met": None if actual_share is None else actual_share >= target})
    return results
