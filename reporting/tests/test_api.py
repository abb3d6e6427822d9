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


def test_list_carries_no_figures_and_reads_none(users, snapshots):
    """A list page was 2.1 MB of figures; the list now has none (the detail has them) and never selects them."""
    from core.testing import count_queries

    from reporting.services import run_snapshot

    for month in (1, 2, 3, 4, 5):
        run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=month).pk)
    client = _api(users["ministry"])
    with count_queries() as q:
        response = client.get(URL)
    assert response.status_code == 200
    results = response.json()["results"]
    assert len(results) == 7 and all("figures" not in r for r in results)
    assert results[0]["complete"] is True and results[0]["has_data"] is True
    assert len(response.content) < 3000
    assert not any('"figures"' in x["sql"] or '"public_figures"' in x["sql"] for x in q.captured_queries)
    detail = client.get(f"{URL}{results[0]['id']}/").json()
    assert detail["figures"]["national"]["settled_ytd"] == 10


def test_list_queries_stay_constant_as_snapshots_grow(users, snapshots):
    """Issue 14: the list page's statements do not grow with the number of snapshots (no per-snapshot lookup)."""
    from core.testing import count_queries

    from reporting.services import run_snapshot

    client = _api(users["ministry"])

    def queries():
        with count_queries() as q:
            assert client.get(URL).status_code == 200
        return len(q)

    before = queries()
    for month in (1, 2, 3, 4, 5):
        run_snapshot(ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=month).pk)
    assert client.get(URL).json()["count"] == 7
    assert queries() == before
