"""Publication suppresses a month against last month's published report (issue 9): June's year to date minus
May's gives back no count hidden in either (the full attack is core/tests/test_disclosure_months.py)."""

import pytest

from core.disclosure import COMPLEMENT, SUPPRESSED, suppress_report
from core.tests.test_disclosure_months import YTD_ROWS, history, report
from reporting.models import ReportKind, ReportSnapshot, SnapshotStatus
from reporting.publication import MONTHLY, RULES, last_published, publish

HIDDEN = (SUPPRESSED, COMPLEMENT)


def _pairs(may, june):
    for table in YTD_ROWS:
        rows = [(may[table], june[table])] if table == "national" else zip(may[table], june[table])
        yield from rows


@pytest.mark.django_db
def test_publish_hides_what_the_difference_with_last_months_published_report_gives_back():
    h = history(1)
    may, june = report(h, 5), report(h, 6)
    assert last_published(may) is None  # April was never published
    published_may = publish(may)
    ReportSnapshot.objects.create(kind=ReportKind.MONTHLY, year=2025, month=5, status=SnapshotStatus.DONE, figures=may,
                                  public_figures=published_may)
    assert last_published(june) == (may, published_may)
    public = publish(june)
    assert public == publish(june, previous=(may, published_may))
    # Alone, June would show year-to-date figures whose difference with May's gives a hidden count back.
    alone = suppress_report(june, relations=MONTHLY, rules=RULES)
    leaks = [(m, j) for m, j in _pairs(published_may, alone)
             if (j["settled_month"] in HIDDEN and j["settled_ytd"] not in HIDDEN and m["settled_ytd"] not in HIDDEN)
             or (m["settled_ytd"] in HIDDEN and j["settled_ytd"] not in HIDDEN and j["settled_month"] not in HIDDEN)]
    assert leaks
    for m, j in _pairs(published_may, public):
        if j["settled_month"] in HIDDEN:  # June's count is not June's minus May's year to date
            assert j["settled_ytd"] in HIDDEN or m["settled_ytd"] in HIDDEN, (m, j)
        if m["settled_ytd"] in HIDDEN:  # May's hidden year to date is not June's minus June's count
            assert j["settled_ytd"] in HIDDEN or j["settled_month"] in HIDDEN, (m, j)
