"""The report-snapshot API: finished snapshots only, small counts suppressed for all but IMDi."""

from rest_framework.test import APIClient

from reporting.models import ReportKind, ReportSnapshot, SnapshotStatus

URL = "/api/v1/report-snapshots/"


def _api(user):
    client = APIClient()
    client.force_authenticate(user)  # a browser session: the role's own scopes
    return client


def test_only_finished_snapshots_are_listed(users, snapshots):
    ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=5, status=SnapshotStatus.RUNNING)
    results = _api(users["cw_ost"]).get(URL).json()["results"]
    assert [(r["kind"], r["year"], r["month"]) for r in results] == [("monthly", 2025, 6), ("goals", 2025, None)]
    assert _api(users["cw_ost"]).get(URL, {"kind": "goals"}).json()["count"] == 1


def test_figures_are_exact_for_imdi_and_suppressed_for_the_ministry(users, snapshots):
    monthly, _ = snapshots
    exact = _api(users["cw_ost"]).get(f"{URL}{monthly.pk}/").json()["figures"]["national"]
    suppressed = _api(users["ministry"]).get(f"{URL}{monthly.pk}/").json()["figures"]["national"]
    assert (exact["settled_month"], suppressed["settled_month"]) == (4, "<5")
    assert _api(users["oslo"]).get(URL).status_code == 403
