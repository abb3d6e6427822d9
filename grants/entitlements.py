"""Per-capita entitlements computed from settlement data: a person registered as settled triggers them.

Rules (per quarter, the claim period):
- Integration grant (integreringstilskudd): five years. Year 1 is the calendar year of settlement; its
  rate (higher for single adults than for others) falls due in full in the quarter of settlement,
  whatever the month. Years 2–5 are the next four calendar years, each year's rate paid in four
  quarterly parts (the fourth takes the øre left over, so four parts always add up to the rate).
  Rates are those in force in the calendar year paid for.
- Special grant for unaccompanied minors: a fixed amount per minor, in the quarter of settlement.
- Norwegian and social studies (norsk og samfunnskunnskap): a per-person grant for each settled person
  aged 16–55 at settlement, in the quarter of settlement, and a base grant (grunntilskudd) once a year,
  in the fourth quarter, for a municipality that settled at least four such persons that year.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from dateutil.relativedelta import relativedelta

from settlement.models import Composition, Person

from .models import GrantRate, RateKind

INTEGRATION, MINORS, NORWEGIAN = "integreringstilskudd", "enslige-mindrearige", "norsk-samfunnskunnskap"
NORWEGIAN_AGE = (16, 55)
NORWEGIAN_BASE_MIN_PERSONS = 4
YEARLY_RATE = {2: RateKind.INTEGRATION_Y2, 3: RateKind.INTEGRATION_Y3, 4: RateKind.INTEGRATION_Y4, 5: RateKind.INTEGRATION_Y5}


@dataclass(frozen=True)
class Line:
    municipality_id: int
    scheme_code: str
    rate_kind: str
    amount: Decimal
    description: str
    person_id: int | None = None
    entitlement_year: int | None = None


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def previous_quarter(day: date) -> tuple[int, int]:
    """The last finished quarter on a day (year, quarter): the period whose claims are due."""
    q = quarter_of(day)
    return (day.year, q - 1) if q > 1 else (day.year - 1, 4)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    start = date(year, 3 * quarter - 2, 1)
    return start, start + relativedelta(months=3, days=-1)


def quarter_part(annual: Decimal, quarter: int) -> Decimal:
    part = (annual / 4).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    return part if quarter < 4 else annual - 3 * part


class MissingRate(Exception):
    pass


def load_rates(years) -> dict:
    """{(scheme code, year): {rate kind: amount}} for the years needed, in one query."""
    rates = defaultdict(dict)
    for code, year, kind, amount in GrantRate.objects.filter(grant_year__year__in=list(years)).values_list(
        "grant_year__scheme__code", "grant_year__year", "kind", "amount"
    ):
        rates[(code, year)][kind] = amount
    return rates


def _rate(rates, code, year, kind) -> Decimal:
    try:
        return rates[(code, year)][kind]
    except KeyError:
        raise MissingRate(f"Mangler sats {RateKind(kind).label} for {year}.")


def compute_entitlements(year: int, quarter: int, municipality_ids=None) -> dict[int, list[Line]]:
    """All per-capita entitlements falling due in a quarter, by municipality."""
    start, end = quarter_bounds(year, quarter)
    persons = Person.objects.filter(
        settled_on__gte=date(year - 4, 1, 1), settled_on__lte=end, household__municipality__isnull=False
    )
    if municipality_ids is not None:
        persons = persons.filter(household__municipality_id__in=municipality_ids)
    rows = persons.values_list("id", "settled_on", "birth_date", "household__composition", "household__municipality_id")
    rates = load_rates(range(year - 4, year + 1))
    lines = defaultdict(list)
    norwegian_in_year = defaultdict(int)
    for person_id, settled_on, birth_date, composition, municipality_id in rows.order_by("id"):
        k = year - settled_on.year + 1
        settled_now = start <= settled_on <= end
        if k == 1 and settled_now:
            kind = RateKind.INTEGRATION_Y1_SINGLE_ADULT if composition == Composition.SINGLE_ADULT else RateKind.INTEGRATION_Y1_OTHER
            lines[municipality_id].append(Line(municipality_id, INTEGRATION, kind, _rate(rates, INTEGRATION, year, kind),
                                               f"Integreringstilskudd år 1 (bosatt {settled_on:%d.%m.%Y})", person_id, 1))
        elif 2 <= k <= 5:
            kind = YEARLY_RATE[k]
            amount = quarter_part(_rate(rates, INTEGRATION, year, kind), quarter)
            lines[municipality_id].append(Line(municipality_id, INTEGRATION, kind, amount,
                                               f"Integreringstilskudd år {k}, {quarter}. kvartal", person_id, k))
        if not settled_now:
            if k == 1 and settled_on < start and _norwegian_age(birth_date, settled_on):
                norwegian_in_year[municipality_id] += 1
            continue
        if composition == Composition.UNACCOMPANIED_MINOR:
            lines[municipality_id].append(Line(municipality_id, MINORS, RateKind.MINOR_PER_PERSON,
                                               _rate(rates, MINORS, year, RateKind.MINOR_PER_PERSON),
                                               "Særskilt tilskudd ved bosetting av enslig mindreårig", person_id))
        if _norwegian_age(birth_date, settled_on):
            norwegian_in_year[municipality_id] += 1
            lines[municipality_id].append(Line(municipality_id, NORWEGIAN, RateKind.NORWEGIAN_PER_PERSON,
                                               _rate(rates, NORWEGIAN, year, RateKind.NORWEGIAN_PER_PERSON),
                                               "Persontilskudd norsk og samfunnskunnskap", person_id))
    if quarter == 4:
        for municipality_id, n in norwegian_in_year.items():
            if n >= NORWEGIAN_BASE_MIN_PERSONS:
                lines[municipality_id].append(Line(municipality_id, NORWEGIAN, RateKind.NORWEGIAN_BASE,
                                                   _rate(rates, NORWEGIAN, year, RateKind.NORWEGIAN_BASE),
                                                   f"Grunntilskudd norsk og samfunnskunnskap {year} ({n} personer)"))
    return dict(lines)


def _norwegian_age(birth_date: date, on: date) -> bool:
    age = relativedelta(on, birth_date).years
    return NORWEGIAN_AGE[0] <= age <= NORWEGIAN_AGE[1]
