"""Grant test data: known per-capita rates and settled households to compute entitlements from."""

from datetime import timedelta
from decimal import Decimal

from grants.entitlements import INTEGRATION, MINORS, NORWEGIAN
from grants.models import RateKind
from settlement.models import Category, Composition
from settlement.tests import report_data

D = Decimal
RATES = {
    INTEGRATION: {RateKind.INTEGRATION_Y1_SINGLE_ADULT: D("200000"), RateKind.INTEGRATION_Y1_OTHER: D("150000"),
                  RateKind.INTEGRATION_Y2: D("100000"), RateKind.INTEGRATION_Y3: D("80000"),
                  RateKind.INTEGRATION_Y4: D("60000"), RateKind.INTEGRATION_Y5: D("50000.03")},
    MINORS: {RateKind.MINOR_PER_PERSON: D("190000")},
    NORWEGIAN: {RateKind.NORWEGIAN_PER_PERSON: D("60000"), RateKind.NORWEGIAN_BASE: D("500000")},
}


def settle(ref, settled, composition=Composition.SINGLE_ADULT, adults=1, children=0, category=Category.RECEPTION_CENTRE,
           municipality="oslo"):
    return report_data.make_household(composition=composition, permit=settled - timedelta(days=120), settled=settled,
                                      municipality=ref[municipality], region=ref["ost"], adults=adults, children=children,
                                      category=category, year=settled.year)
