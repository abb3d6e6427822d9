"""The goal-achievement report: computed D1 indicators, recorded values, targets in force and trends."""

from decimal import Decimal

from reporting import services
from reporting.models import Indicator
from reporting.reference import load_indicators
from reporting.reports import goal_report


def test_goal_report_computes_d1_and_reads_manual_values(data, actors):
    load_indicators()
    d32 = Indicator.objects.get(code="D3.2")
    services.record_indicator_value(actors["admin"], indicator=d32, year=2025, value=Decimal("58.5"), note="SSB")
    f = goal_report(2025)
    indicators = {i["code"]: i for g in f["goals"] for i in g["indicators"]}
    # The whole year counts, so H10 (settled in July after 39 days) joins: 8 of 10 within six months.
    assert (indicators["D1.1"]["actual"], indicators["D1.1"]["target"], indicators["D1.1"]["met"]) == (80.0, 70.0, True)
    assert (indicators["D1.3"]["actual"], indicators["D1.3"]["met"]) == (60.0, False)
    assert (indicators["D1.4"]["actual"], indicators["D1.4"]["target"], indicators["D1.4"]["met"]) == (100.0, 90.0, True)
    # General average: (50 + 252 + 170 + 3*73 + 2*166 + 400 + 39) / 10 = 146.2 days.
    assert indicators["D1.6"]["actual"] == 4.8 and indicators["D1.6"]["met"] is None  # no target set
    # The evaluation's figures make the trend; 2012 was under the 90 % target then in force.
    assert [(t["year"], t["value"], t["target"], t["met"]) for t in indicators["D1.1"]["trend"]] == [
        (2012, 61.0, 90.0, False), (2013, 51.0, 70.0, False), (2025, 80.0, 70.0, True)]
    assert (indicators["D3.2"]["actual"], indicators["D3.2"]["target"], indicators["D3.2"]["met"]) == (58.5, 55.0, True)
    # "Skal øke": met when the value rose from the year before.
    d51 = {t["year"]: t["met"] for t in indicators["D5.1"]["trend"]}
    assert d51 == {2011: None, 2012: True}
    assert f["summary"]["indicators"] == Indicator.objects.count()
    # Met: D1.1, D1.4, D1.5 (minors within 6 months: 100 %), D3.2. Not met: D1.2 (90 % within a year), D1.3.
    assert (f["summary"]["met"], f["summary"]["not_met"]) == (4, 2)
