"""The monthly settlement report, checked exactly against hand-built data (report month June 2025)."""

from datetime import date

from core.disclosure import suppress_small_counts
from core.models import County, Municipality, Region
from core.testing import count_queries
from reporting.reports import monthly_report
from settlement.models import Composition, MunicipalDecision
from settlement.tests import report_data


def _by(rows, key, value):
    return next(r for r in rows if r[key] == value)


def test_monthly_report_national_figures(data):
    f = monthly_report(2025, 6)
    n = f["national"]
    assert (n["settled_month"], n["settled_ytd"]) == (4, 10)
    assert (n["need"], n["target_to_date"], n["share_of_need"]) == (24, 12, 41.7)
    assert (n["requested"], n["decided"], n["assigned"]) == (26, 19, 1)
    assert n["place_use"] == 57.9  # (10 settled + 1 assigned) / 19 decided
    assert n["decisions"] == {"more": 1, "same": 1, "fewer": 1, "nothing": 1}
    assert (n["waiting"], n["long_waiting"]) == (6, 1)


def test_monthly_report_shares_within_targets(data):
    targets = {t["key"]: t for t in monthly_report(2025, 6)["targets"]}
    # Nine persons who are not unaccompanied minors; seven waited at most 183 days, eight at most 365.
    assert (targets["general_within_6m"]["actual"], targets["general_within_6m"]["base"]) == (77.8, 9)
    assert targets["general_within_6m"]["met"] is True
    assert targets["general_within_12m"]["actual"] == 88.9
    assert targets["general_within_12m"]["met"] is False
    # Families with children: three of five persons within 91 days.
    assert (targets["families_within_3m"]["actual"], targets["families_within_3m"]["met"]) == (60.0, False)
    assert (targets["minors_within_3m"]["actual"], targets["minors_within_3m"]["met"]) == (100.0, True)


def test_monthly_report_waiting_times(data):
    wt = monthly_report(2025, 6)["wait_times"]
    # Days: 50, 61, 73, 73, 73, 166, 166, 170, 252, 400 -> mean 148.4, median 119.5 (months of 30.44 days).
    assert wt["ytd"]["base"] == 10
    assert (wt["ytd"]["average_months"], wt["ytd"]["median_months"]) == (4.9, 3.9)
    # June: 252, 166, 166, 400 -> mean 246, median 209.
    assert (wt["month"]["base"], wt["month"]["average_months"], wt["month"]["median_months"]) == (4, 8.1, 6.9)
    assert [d["persons"] for d in wt["distribution"]] == [5, 3, 1, 0, 1]
    minors = _by(wt["by_group"], "group", "unaccompanied_minor")
    assert (minors["base"], minors["share_within_3m"]) == (1, 100.0)


def test_monthly_report_waiting_by_group_region_and_series(data):
    f = monthly_report(2025, 6)
    groups = {g["group"]: (g["persons"], g["long_waiting"]) for g in f["waiting_by_group"]}
    assert groups == {"single_adult": (1, 1), "family_with_children": (4, 0), "family_without_children": (0, 0),
                      "unaccompanied_minor": (0, 0), "resettlement": (1, 0)}
    ost, vest, nord = (_by(f["regions"], "name", n) for n in ("Øst", "Vest", "Nord"))
    assert (ost["settled_month"], ost["settled_ytd"], ost["waiting"], ost["long_waiting"]) == (2, 3, 2, 1)
    assert (vest["settled_ytd"], vest["waiting"], vest["place_use"]) == (4, 4, 80.0)
    assert (nord["settled_month"], nord["settled_ytd"], nord["decided"]) == (2, 3, 4)
    assert [s["settled"] for s in f["series"][:6]] == [0, 0, 1, 3, 2, 4]
    assert [s["cumulative"] for s in f["series"][:7]] == [0, 0, 1, 4, 6, 10, None]
    assert [s["target_cumulative"] for s in f["series"][:3]] == [2, 4, 6]
    oslo = _by(f["municipalities"], "number", "0301")
    assert (oslo["settled_ytd"], oslo["assigned"], oslo["decided"], oslo["decision"], oslo["place_use"]) == (3, 1, 10, "fewer", 40.0)
    assert _by(f["municipalities"], "number", "0219")["decision"] == "nothing"
    assert _by(f["counties"], "name", "Troms")["settled_ytd"] == 3
    nat = {x["code"]: (x["settled_ytd"], x["waiting"]) for x in f["nationalities"]}
    assert nat == {"ERI": (6, 6), "SYR": (3, 0), "AFG": (1, 0)}


def test_a_past_month_is_computed_from_dates_not_current_status(data):
    f = monthly_report(2025, 3)
    # By 31 March only H1 was settled.
    assert (f["national"]["settled_month"], f["national"]["settled_ytd"]) == (1, 1)
    # Waiting then: H2 (1), H3 (1), H4 (3), H5 (2), H6 (1), H7 (1), H8 (1); H9 and H10 were not yet ready.
    assert f["national"]["waiting"] == 10
    # Long-waiting then: only H7 (permit before 30 Sep 2024, the six-month line); H5, a family, is inside its three months.
    assert f["national"]["long_waiting"] == 1


def test_report_query_count_is_constant(data):
    with count_queries() as small:
        monthly_report(2025, 6)
    # Ten times the municipalities with decisions and settled households.
    region = Region.objects.get(code="midt")
    county = County.objects.get(number="16")
    for i in range(30):
        muni = Municipality.objects.create(number=f"9{100 + i}", name=f"Testkommune {i}", county=county, region=region)
        MunicipalDecision.objects.create(municipality=muni, year=2025, places=5, decided_on=date(2024, 10, 1))
        report_data.make_household(composition=Composition.SINGLE_ADULT, permit=date(2025, 1, 1), settled=date(2025, 6, 1),
                                   municipality=muni, region=region)
    with count_queries() as large:
        f = monthly_report(2025, 6)
    assert f["national"]["settled_ytd"] == 40
    assert len(large.captured_queries) == len(small.captured_queries) <= 12


def test_small_counts_are_suppressed_for_the_ministry(data):
    f = suppress_small_counts(monthly_report(2025, 6))
    assert f["national"]["settled_month"] == "<5"  # four persons
    assert f["national"]["settled_ytd"] == 10
    assert _by(f["regions"], "name", "Øst")["settled_ytd"] == "<5"
    minors = _by(f["wait_times"]["by_group"], "group", "unaccompanied_minor")
    assert (minors["base"], minors["share_within_3m"], minors["average_months"]) == ("<5", None, None)
    assert _by(f["targets"], "key", "minors_within_3m")["actual"] is None
    assert f["national"]["decided"] == 19  # places are not personal data
