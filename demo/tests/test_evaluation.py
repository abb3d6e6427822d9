"""The reproduction check: the demo as of 31 October 2013 against the 2014 evaluation (issue 11)."""

import pytest
from django.core.management import call_command

from demo.evaluation import AS_OF, evaluation_rows
from demo.pipeline import seed_demo

SCALE = 0.1


@pytest.fixture
def rows(db):
    seed_demo(as_of=AS_OF, scale=SCALE)
    return {r.label: r for r in evaluation_rows(SCALE)}


def test_shares_within_six_months_follow_table_9_1(rows):
    for label in ("Bosatt innen 6 mnd 2012", "Bosatt innen 6 mnd 2013 (jan-okt)"):
        assert abs(rows[label].difference) <= 5.0, label
    assert abs(rows["Gjennomsnittlig ventetid 2012"].difference) <= 0.5


def test_each_office_settles_its_footnote_48_count(rows):
    offices = [r for label, r in rows.items() if label.startswith("Bosatt jan-okt 2013, IMDi")]
    assert len(offices) == 6
    for r in offices:
        assert abs(r.relative) <= 0.15, r.label


def test_need_requests_and_queue_follow_the_evaluation(rows):
    assert rows["Bosettingsbehov 2013"].demo == round(9500 * SCALE)
    assert rows["Kommuner anmodet 2013"].demo == 428
    assert rows["Kommuner anmodet 2012"].demo == 285
    assert rows["Kommuner som vedtok færre enn anmodet 2013"].demo > 50
    assert rows["Enslige voksne blant bosettingsklare 31.12.2012"].demo > 50
    # The queue grows through 2013.
    assert rows["Bosettingsklare 30.09.2013"].demo > rows["Bosettingsklare 30.06.2012"].demo


def test_command_prints_the_table(db, capsys):
    call_command("compare_with_evaluation", scale=0.02)
    out = capsys.readouterr().out
    assert "fotnote 48, l. 6470" in out and "Bosatt innen 6 mnd 2012" in out
