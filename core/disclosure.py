"""Disclosure policy: small-count suppression (prikking) for what ministry viewers and agencies see."""

import copy

SUPPRESSED = "<5"
THRESHOLD = 5
# Counts of persons. Places (requested, decided) are not personal data and are shown as they are.
PERSON_COUNTS = {"settled_month", "settled_ytd", "assigned", "waiting", "long_waiting", "persons", "settled", "cumulative", "base"}
DERIVED = {"place_use", "average_months", "median_months", "share_within_3m", "share_within_6m", "share_within_12m", "actual"}


def sees_small_counts(actor) -> bool:
    """Only IMDi sees person counts under five; the ministry and agencies get them suppressed."""
    return actor.is_imdi


def _is_small(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 < value < THRESHOLD


def suppress_small_counts(figures: dict) -> dict:
    """A copy of the figures where person counts from 1 to 4 read "<5", and shares and averages
    computed from fewer than five persons are left out."""
    data = copy.deepcopy(figures)

    def walk(node):
        if isinstance(node, dict):
            small_base = _is_small(node.get("base"))
            for key, value in node.items():
                if key in PERSON_COUNTS and _is_small(value):
                    node[key] = SUPPRESSED
                elif small_base and key in DERIVED:
                    node[key] = None
                else:
                    walk(value)
            if "settled_ytd" in node and "place_use" in node and node.get("settled_ytd") == SUPPRESSED:
                node["place_use"] = None
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(data)
    return data


def suppress_rows(rows: list[dict], keys) -> list[dict]:
    """Rows of person counts as a viewer who sees aggregates only gets them: 1 to 4 read "<5"."""
    return [{k: (SUPPRESSED if k in keys and _is_small(v) else v) for k, v in row.items()} for row in rows]
