"""The 2013 schemes and budgets as in table 4.5 of the evaluation."""

from decimal import Decimal

from grants.models import GrantScheme, GrantYear, SchemeKind
from grants.reference import load_grant_schemes

D = Decimal


def test_seeded_2013_schemes_match_table_4_5(db):
    load_grant_schemes()
    budgets = {gy.scheme.number: gy.budget for gy in GrantYear.objects.filter(year=2013).select_related("scheme")}
    assert budgets == {1: D("5090852000"), 2: D("1648676000"), 3: D("314268000"), 4: D("51094000"), 5: D("32000000"),
                       6: D("57000000"), 7: D("220000")}
    assert set(GrantScheme.objects.filter(kind=SchemeKind.PER_CAPITA).values_list("number", flat=True)) == {1, 2, 3}
