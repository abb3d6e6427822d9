"""Request planning (anmodningsplan): the year's national need split across municipalities by a stated key.

IMDi asks for three years at a time, from a forecast, and deliberately for more places than the need, since
municipalities decide fewer than asked (evaluation, lines 2377-2397). The key weighs each municipality's share of
the population, of the persons settled the year before and of the places decided the year before; the factor
above need (e.g. 1.10) scales the national figure. `propose` is a pure function: it reads nothing from the
database; `bases_for` gathers its input.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

MAX_WEIGHT = Decimal("10")
MAX_FACTOR = Decimal("3")


@dataclass(frozen=True)
class Key:
    """The stated key: three weights (relative, any scale) and the factor above the need."""

    population: Decimal = Decimal("0.5")
    previous_settlement: Decimal = Decimal("0.25")
    decided: Decimal = Decimal("0.25")
    factor: Decimal = Decimal("1.10")

    def problems(self) -> dict[str, tuple[str, str]]:
        """Field -> (message, code) for a key that cannot be used."""
        errors = {}
        for field in ("population", "previous_settlement", "decided"):
            value = getattr(self, field)
            if value < 0 or value > MAX_WEIGHT:
                errors[field] = (f"Vekten må være mellom 0 og {MAX_WEIGHT}.", "weight_out_of_range")
        if not errors and self.population + self.previous_settlement + self.decided == 0:
            errors["population"] = ("Minst én vekt må være større enn 0.", "no_weight")
        if self.factor < 1 or self.factor > MAX_FACTOR:
            errors["factor"] = (f"Faktoren over behovet må være mellom 1 og {MAX_FACTOR}.", "factor_out_of_range")
        return errors


@dataclass(frozen=True)
class Basis:
    """What the key weighs for one municipality."""

    municipality_id: int
    population: int
    previous_settlement: int
    decided: int


def target(need: int, factor: Decimal) -> int:
    """The places to ask for in all: the need times the factor, rounded half up (1 000 × 1.10 = 1 100)."""
    return int((Decimal(need) * factor).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def shares(bases: list[Basis], key: Key) -> dict[int, Decimal]:
    """Each municipality's share (sums to 1): the weighted mean of its share of each criterion. A criterion
    that is zero everywhere drops out and the other weights count in full."""
    criteria = {"population": key.population, "previous_settlement": key.previous_settlement, "decided": key.decided}
    totals = {c: sum(getattr(b, c) for b in bases) for c in criteria}
    used = {c: w for c, w in criteria.items() if w > 0 and totals[c] > 0}
    weight_sum = sum(used.values())
    if not bases or not weight_sum:
        return {b.municipality_id: Decimal(0) for b in bases}
    return {
        b.municipality_id: sum((w * Decimal(getattr(b, c)) / Decimal(totals[c]) for c, w in used.items()), Decimal(0)) / weight_sum
        for b in bases
    }


def apportion(total: int, weights: dict[int, Decimal], caps: dict[int, int] | None = None) -> dict[int, int]:
    """Whole places that sum to `total` exactly (largest remainder, Hamilton): each gets the floor of its
    quota, and the places left go to the largest remainders, ties to the lower id. With `caps`, no one gets
    more than its cap (the minors within the persons); the places that no one may take are left out."""
    weight_sum = sum(weights.values())
    if total <= 0 or weight_sum <= 0:
        return {k: 0 for k in weights}
    quotas = {k: Decimal(total) * w / weight_sum for k, w in weights.items()}
    result = {k: int(q) for k, q in quotas.items()}
    if caps is not None:
        result = {k: min(v, caps.get(k, 0)) for k, v in result.items()}
    left = total - sum(result.values())
    order = sorted(weights, key=lambda k: (-(quotas[k] - int(quotas[k])), -quotas[k], k))
    while left > 0:
        given = 0
        for k in order:
            if left == 0:
                break
            if caps is None or result[k] < caps.get(k, 0):
                result[k] += 1
                left -= 1
                given += 1
        if not given:
            break
    return result


def propose(needs: dict[int, tuple[int, int]], key: Key, bases: list[Basis]) -> dict[int, dict[int, tuple[int, int]]]:
    """The proposal: municipality id -> year -> (persons, of whom unaccompanied minors).

    `needs` is year -> (all persons, of whom unaccompanied minors), the national need (NationalNeed.total and
    .unaccompanied_minors, or a forecast for a later year). Each year's persons sum to target(need, factor),
    the minors to target(minors, factor), and a municipality's minors never exceed its persons.
    """
    weights = shares(bases, key)
    result: dict[int, dict[int, tuple[int, int]]] = {b.municipality_id: {} for b in bases}
    for year, (persons_need, minors_need) in sorted(needs.items()):
        persons = apportion(target(persons_need, key.factor), weights)
        minors = apportion(target(minors_need, key.factor), weights, caps=persons)
        for m in result:
            result[m][year] = (persons[m], minors[m])
    return result


class ReplyStatus(StrEnum):
    NOT_ANSWERED = "not_answered"
    FEWER = "fewer"
    SAME = "same"
    MORE = "more"

    @property
    def label(self) -> str:
        return REPLY_LABELS[self]


REPLY_LABELS = {
    ReplyStatus.NOT_ANSWERED: "Ikke svart",
    ReplyStatus.FEWER: "Færre enn anmodet",
    ReplyStatus.SAME: "Som anmodet",
    ReplyStatus.MORE: "Flere enn anmodet",
}


def reply_status(requested: int, decided: int | None) -> ReplyStatus:
    """The municipality's answer to a year's request: no decision yet, or a decision of fewer, the same or more
    places than asked for (the evaluation: municipalities decide fewer than asked, 2394-2395)."""
    if decided is None:
        return ReplyStatus.NOT_ANSWERED
    if decided < requested:
        return ReplyStatus.FEWER
    if decided > requested:
        return ReplyStatus.MORE
    return ReplyStatus.SAME


def bases_for(first_year: int, municipalities) -> list[Basis]:
    """The key's input from the database: population, persons settled and places decided in the year before
    `first_year`, for the given municipalities."""
    from django.db.models import Count, Sum

    from .models import MunicipalDecision, Person

    ids = [m.pk for m in municipalities]
    previous = first_year - 1
    settled = dict(Person.objects.filter(settled_on__year=previous, household__municipality_id__in=ids)
                   .values_list("household__municipality_id").annotate(n=Count("id")).values_list("household__municipality_id", "n"))
    decided = dict(MunicipalDecision.objects.filter(year=previous, municipality_id__in=ids)
                   .values("municipality_id").annotate(n=Sum("places")).values_list("municipality_id", "n"))
    return [Basis(m.pk, m.population, settled.get(m.pk, 0), decided.get(m.pk, 0)) for m in municipalities]
