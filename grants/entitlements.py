"""Per-capita entitlements computed from settlement data: a person registered as settled triggers them.

A person counts from the settlement date: the person's registered one, or, for a household that settled on its own
(selvbosatt: exited with that reason and a municipality), the day it left the flow. Grants follow the number of
persons, not a budget (evaluation, lines 2748-2750).

Rules (per quarter, the claim period):
- Integration grant (integreringstilskudd): five years. Year 1 is the calendar year of settlement; its
  rate (higher for single adults than for others) falls due in full in the quarter of settlement,
  whatever the month. Years 2–5 are the next four calendar years, each year's rate paid in four
  quarterly parts (the fourth takes the øre left over, so four parts always add up to the rate).
  Rates are those in force in the calendar year paid for.
- Special grant for unaccompanied minors: a fixed amount per minor, in the quarter of settlement.
- Norwegian and social studies (norsk og samfunnskunnskap): its basis is NIR (lines 2702-2706, 3010-3032), the
  person's participation record. The per-person grant falls due once, in the quarter the person's participation
  starts (the introduction programme's start or the first quarter with Norwegian-training hours, whichever is
  earlier, but not before the quarter of settlement), for a person aged 16–55 at settlement whose participation
  starts within the five years of the integration grant. A settled person with no participation in NIR brings
  no Norwegian grant. The base grant (grunntilskudd) falls due once a year, in the fourth quarter, for a
  municipality where at least four persons started participating that year.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Case, DateField, F, Min, Q, When
from django.db.models.functions import Coalesce

from settlement.models import Composition, ExitReason, HouseholdStatus, Person

from .models import GrantRate, ParticipationRecord, RateKind, TrainingHours

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


SELF_SETTLED = Q(household__status=HouseholdStatus.EXITED, household__exit_reason=ExitReason.SETTLED_ON_OWN)


def settled_persons():
    """Every person with a settlement date in a municipality, annotated `settled_day`: the person's own date, or
    the exit date of a household that settled on its own (selvbosatt) in a municipality."""
    return Person.objects.annotate(settled_day=Coalesce(
        "settled_on", Case(When(SELF_SETTLED, then=F("household__exited_on")), output_field=DateField()),
    )).filter(settled_day__isnull=False, household__municipality__isnull=False)


def participation_quarters(person_ids) -> dict[int, tuple[int, int]]:
    """Each person's first quarter of participation in NIR (year, quarter): the introduction programme's start or
    the first quarter with Norwegian-training hours, whichever is earlier. Two queries. `person_ids` may be a
    subquery (`.values("id")`): a list of every person in the country was a query of 80,000 parameters."""
    first = {}
    for person_id, start in ParticipationRecord.objects.filter(person_id__in=person_ids, programme_start__isnull=False
                                                               ).values_list("person_id", "programme_start"):
        first[person_id] = (start.year, quarter_of(start))
    hours = (TrainingHours.objects.filter(record__person_id__in=person_ids, hours__gt=0).values("record__person_id")
             .annotate(first=Min(F("year") * 10 + F("quarter"))).values_list("record__person_id", "first"))
    for person_id, code in hours:
        first[person_id] = min(first.get(person_id, (9999, 4)), divmod(code, 10))
    return first


def compute_entitlements(year: int, quarter: int, municipality_ids=None) -> dict[int, list[Line]]:
    """All per-capita entitlements falling due in a quarter, by municipality."""
    return _lines(_basis(year, quarter_bounds(year, quarter)[1], municipality_ids), year, quarter)


def entitlements_by_quarter(year: int, municipality_ids=None, skip=None):
    """(quarter, entitlements by municipality, or None where a rate is missing) for the year's four quarters, from
    one load of the persons (the budget forecast needs all four; a load per quarter took four times as long).
    `skip` {quarter: municipality ids} leaves out what is not wanted (the forecast: claims already approved)."""
    basis = _basis(year, quarter_bounds(year, 4)[1], municipality_ids)
    for quarter in (1, 2, 3, 4):
        try:
            yield quarter, _lines(basis, year, quarter, (skip or {}).get(quarter, ()))
        except MissingRate:
            yield quarter, None


def _basis(year: int, end: date, municipality_ids):
    """The persons settled in the five years up to `end`, their first NIR quarter and the rates: four queries."""
    persons = settled_persons().filter(settled_day__gte=date(year - 4, 1, 1), settled_day__lte=end)
    if municipality_ids is not None:
        persons = persons.filter(household__municipality_id__in=municipality_ids)
    nir = participation_quarters(persons.values("id"))
    # Each person's Norwegian due quarter once here, not once per quarter asked for.
    rows = [(person_id, settled_on, composition, municipality_id,
             norwegian_due(nir.get(person_id), settled_on) if _norwegian_age(birth_date, settled_on) else None)
            for person_id, settled_on, birth_date, composition, municipality_id in persons.values_list(
                "id", "settled_day", "birth_date", "household__composition", "household__municipality_id").order_by("id")]
    return rows, load_rates(range(year - 4, year + 1))


def _lines(basis, year: int, quarter: int, skip=()) -> dict[int, list[Line]]:
    rows, rates = basis
    start, end = quarter_bounds(year, quarter)
    lines = defaultdict(list)
    norwegian_in_year = defaultdict(int)
    parts = {}
    for person_id, settled_on, composition, municipality_id, due in rows:
        if settled_on > end or municipality_id in skip:
            continue
        k = year - settled_on.year + 1
        settled_now = start <= settled_on <= end
        if k == 1 and settled_now:
            kind = RateKind.INTEGRATION_Y1_SINGLE_ADULT if composition == Composition.SINGLE_ADULT else RateKind.INTEGRATION_Y1_OTHER
            lines[municipality_id].append(Line(municipality_id, INTEGRATION, kind, _rate(rates, INTEGRATION, year, kind),
                                               f"Integreringstilskudd år 1 (bosatt {settled_on:%d.%m.%Y})", person_id, 1))
        elif 2 <= k <= 5:
            kind = YEARLY_RATE[k]
            amount = parts.get(kind)
            if amount is None:  # the same part for every person of a kind: computed once a quarter
                amount = parts[kind] = quarter_part(_rate(rates, INTEGRATION, year, kind), quarter)
            lines[municipality_id].append(Line(municipality_id, INTEGRATION, kind, amount,
                                               f"Integreringstilskudd år {k}, {quarter}. kvartal", person_id, k))
        if settled_now and composition == Composition.UNACCOMPANIED_MINOR:
            lines[municipality_id].append(Line(municipality_id, MINORS, RateKind.MINOR_PER_PERSON,
                                               _rate(rates, MINORS, year, RateKind.MINOR_PER_PERSON),
                                               "Særskilt tilskudd ved bosetting av enslig mindreårig", person_id))
        if due is None or due[0] != year or due[1] > quarter:
            continue
        norwegian_in_year[municipality_id] += 1
        if due[1] == quarter:
            lines[municipality_id].append(Line(municipality_id, NORWEGIAN, RateKind.NORWEGIAN_PER_PERSON,
                                               _rate(rates, NORWEGIAN, year, RateKind.NORWEGIAN_PER_PERSON),
                                               "Persontilskudd norsk og samfunnskunnskap (deltakelse i NIR)", person_id))
    if quarter == 4:
        for municipality_id, n in norwegian_in_year.items():
            if n >= NORWEGIAN_BASE_MIN_PERSONS:
                lines[municipality_id].append(Line(municipality_id, NORWEGIAN, RateKind.NORWEGIAN_BASE,
                                                   _rate(rates, NORWEGIAN, year, RateKind.NORWEGIAN_BASE),
                                                   f"Grunntilskudd norsk og samfunnskunnskap {year} ({n} personer)"))
    return dict(lines)


def norwegian_due(first_participation: tuple[int, int] | None, settled_on: date) -> tuple[int, int] | None:
    """The quarter (year, quarter) the per-person Norwegian grant falls due: the first quarter of participation, not
    before the quarter of settlement; None without participation or when it starts after the five-year period."""
    if first_participation is None:
        return None
    due = max(first_participation, (settled_on.year, quarter_of(settled_on)))
    return due if due[0] <= settled_on.year + 4 else None


def _norwegian_age(birth_date: date, on: date) -> bool:
    # Whole years, as relativedelta(on, birth_date).years counts them, without its cost (it ran per person).
    age = on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))
    return NORWEGIAN_AGE[0] <= age <= NORWEGIAN_AGE[1]
