"""Publication (publisering): the figures a viewer who sees aggregates only (the ministry, agencies) gets, computed
once when a snapshot finishes and stored beside the exact figures, so the page, the API, the CSV/Excel/PDF
exports and the charts all read one suppressed version (core.disclosure holds the policy).

Reporting describes how its own reports add up: the monthly report's relations are core's MONTHLY_RELATIONS with
the target rows tied to the target groups they really count (targets.py: the general target's base is the sum
of the non-minor groups; the families' and the 15-17-year-old minors' bases are no sum of published rows), plus
the queue trend's last point (the month's own queue) and the forecast's copy of the year-to-date count.
"""

from core.disclosure import (
    COMPLEMENT, DERIVED_RULES, MONTHLY_RELATIONS, SUPPRESSED, DerivedRule, Rollup, suppress_report,
)

from .reports.goals import count_assessments, summary

_GENERAL = ("single_adult", "family_with_children", "family_without_children", "resettlement")
MONTHLY = (
    *(r for r in MONTHLY_RELATIONS if not (isinstance(r, Rollup) and r.total == "targets")),
    Rollup("wait_times.by_group", "targets", (("base", "base"),), where=(("group", _GENERAL),),
           total_where=(("key", ("general_within_6m",)),)),
    Rollup("outlook.queue", "national", (("waiting", "waiting"), ("long_waiting", "long_waiting")), last=True),
    Rollup("outlook.forecast", "national", (("settled_ytd", "settled_ytd"),)),
)
RULES = (
    *DERIVED_RULES,
    DerivedRule(("actual", "met", "rest_actual", "rest_met", "assessment"), base="base"),  # targets, goal indicators
    DerivedRule(("value", "met", "rest_value", "rest_met", "assessment"), base="base"),  # trend points, by sex
    DerivedRule(("forecast", "gap", "forecast_share_of_need"), inputs=("settled_ytd",)),
)
MARKERS = {SUPPRESSED: "<5", COMPLEMENT: ":"}
LEGEND = "<5 = 1–4 personer; : = skjult for å hindre tilbakeregning"


def publish(figures: dict, previous: tuple | None = None) -> dict:
    """The figures with small counts and what would give them back hidden. A monthly report is suppressed
    against last month's published one (`previous`: its exact and published figures, looked up when not given),
    so that this month's year to date minus last month's gives back no hidden count, either month's."""
    monthly = figures.get("kind") == "monthly"
    if monthly and previous is None:
        previous = last_published(figures)
    public = suppress_report(figures, relations=MONTHLY if monthly else (), rules=RULES, previous=previous)
    if public.get("kind") == "goals":
        for goal in public["goals"]:
            goal["assessment_counts"] = count_assessments(goal["indicators"])
        public["summary"] = summary(public["goals"])
    return public


def last_published(figures: dict) -> tuple | None:
    """Last month's published monthly report of the same year, (exact figures, published figures): the latest
    version of a whole month if there is one, else the latest version. None in January."""
    from .models import ReportKind, ReportSnapshot, SnapshotStatus

    period = figures.get("period") or {}
    if not period.get("month") or period["month"] <= 1:
        return None
    last = (ReportSnapshot.objects.filter(kind=ReportKind.MONTHLY, year=period["year"], month=period["month"] - 1,
                                          status=SnapshotStatus.DONE, figures__isnull=False, public_figures__isnull=False)
            .order_by("-complete", "-version").only("figures", "public_figures").first())
    return (last.figures, last.public_figures) if last else None


def hidden_cells(public, path: str = "") -> list[str]:
    """Where the published figures hold a marker: the suppression pattern stored with the snapshot."""
    out = []
    if isinstance(public, dict):
        for key, value in public.items():
            out += hidden_cells(value, f"{path}.{key}" if path else key)
    elif isinstance(public, list):
        for i, value in enumerate(public):
            row_id = value.get("number") or value.get("code") or value.get("name") or value.get("group") or value.get("key") \
                if isinstance(value, dict) else None
            out += hidden_cells(value, f"{path}[{row_id if row_id is not None else i}]")
    elif public in MARKERS:
        out.append(f"{path}={public}")
    return out
