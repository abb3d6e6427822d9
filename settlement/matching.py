"""Matching engine (utsøking): proposes which settlement-ready household goes to which municipality.

An assignment problem solved as a mixed-integer program with scipy's milp (HiGHS):
- a household goes to at most one municipality and is never split (one variable per household
  and municipality, carrying the whole household's size);
- a municipality gets no more persons than its places left to propose, and unaccompanied
  minors only where it decided places for minors, within those places;
- the objective rewards persons placed, weighted by how long they have waited (the longest
  waiting first), with bonuses for ties to a municipality, for special needs placed in larger
  municipalities (more services), and for staying in the household's region.
Each household keeps its best `candidates_per_household` municipalities (plus its tie) as
variables, which keeps the model small. If the solver fails or runs out of time without a
solution, a greedy pass (longest waiting first, best municipality with room) is used instead.
The result is a proposal for a caseworker to edit before anything is sent.
"""

import time
from dataclasses import dataclass, field

import numpy as np

try:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix
except ImportError:  # pragma: no cover - scipy is a dependency; the greedy pass still works without it
    milp = None

LARGE_MUNICIPALITY = 50_000
CANDIDATES_PER_HOUSEHOLD = 25


@dataclass(frozen=True)
class HouseholdNeed:
    household_id: int
    size: int
    waiting_days: int
    minor: bool = False
    tied_municipality_id: int | None = None
    special_needs: bool = False
    region_id: int | None = None


@dataclass(frozen=True)
class MunicipalitySlot:
    municipality_id: int
    capacity: int
    minor_capacity: int = 0
    population: int = 0
    region_id: int | None = None


@dataclass
class MatchResult:
    assignments: dict[int, int]  # household id -> municipality id
    objective: float
    method: str
    seconds: float
    message: str = ""
    candidates: dict[int, list[int]] = field(default_factory=dict)  # household id -> municipalities, best first


def score(h: HouseholdNeed, m: MunicipalitySlot) -> float:
    value = h.size * (1.0 + h.waiting_days / 30.0)
    if h.tied_municipality_id == m.municipality_id:
        value += 5.0 * h.size
    if h.special_needs and m.population >= LARGE_MUNICIPALITY:
        value += 2.0 * h.size
    if h.region_id is not None and h.region_id == m.region_id:
        value += 0.5 * h.size
    return value


def feasible(h: HouseholdNeed, m: MunicipalitySlot) -> bool:
    if h.size > m.capacity:
        return False
    return not h.minor or h.size <= m.minor_capacity


def candidate_lists(households, municipalities, per_household: int | None) -> dict[int, list[tuple[float, MunicipalitySlot]]]:
    """Each household's municipalities, best first. With a limit, the best quarter are kept, the tie
    always, and the rest are spread evenly over all municipalities with room, with a different offset
    per household, so that together the households can reach every municipality's places."""
    result = {}
    for h in households:
        options = [(score(h, m), m) for m in municipalities if feasible(h, m)]
        options.sort(key=lambda sm: (-sm[0], sm[1].municipality_id))
        if per_household is not None and len(options) > per_household:
            best = max(1, per_household // 4)
            rest = options[best:]
            step = max(1, len(rest) // (per_household - best))
            spread = rest[h.household_id % step::step][: per_household - best]
            kept = options[:best] + spread
            tie = next((o for o in rest if o[1].municipality_id == h.tied_municipality_id), None)
            if tie and tie not in kept:
                kept.append(tie)
            options = sorted(kept, key=lambda sm: (-sm[0], sm[1].municipality_id))
        result[h.household_id] = options
    return result


def greedy(households, municipalities, per_household: int | None = CANDIDATES_PER_HOUSEHOLD, assignments=None) -> MatchResult:
    """Longest waiting first, each to its best municipality with room. Given `assignments`, it only
    fills the places those leave."""
    started = time.perf_counter()
    left = {m.municipality_id: m.capacity for m in municipalities}
    left_minor = {m.municipality_id: m.minor_capacity for m in municipalities}
    options = candidate_lists(households, municipalities, per_household)
    assignments, objective = dict(assignments or {}), 0.0
    need = {h.household_id: h for h in households}
    slot = {m.municipality_id: m for m in municipalities}
    for hid, mid in assignments.items():
        left[mid] -= need[hid].size
        if need[hid].minor:
            left_minor[mid] -= need[hid].size
        objective += score(need[hid], slot[mid])
    for h in sorted(households, key=lambda h: (-h.waiting_days, -h.size, h.household_id)):
        if h.household_id in assignments:
            continue
        for value, m in options[h.household_id]:
            mid = m.municipality_id
            if left[mid] >= h.size and (not h.minor or left_minor[mid] >= h.size):
                left[mid] -= h.size
                if h.minor:
                    left_minor[mid] -= h.size
                assignments[h.household_id] = mid
                objective += value
                break
    return MatchResult(assignments, objective, "greedy", time.perf_counter() - started,
                       candidates={k: [m.municipality_id for _, m in v] for k, v in options.items()})


def solve(households, municipalities, *, per_household: int | None = CANDIDATES_PER_HOUSEHOLD, time_limit: float = 30.0, gap: float = 1e-4) -> MatchResult:
    """The MILP proposal, or the greedy one if the solver cannot give an answer."""
    households, municipalities = list(households), list(municipalities)
    if milp is None:
        return _fallback(households, municipalities, per_household, "scipy mangler")
    started = time.perf_counter()
    everyone = households
    if per_household is not None:
        households = _worth_modelling(households, municipalities)
    options = candidate_lists(households, municipalities, per_household)
    var_h, var_m, values, constraints = build_model(households, municipalities, options)
    n = len(values)
    if n == 0:
        return MatchResult({}, 0.0, "milp", time.perf_counter() - started, "Ingen husstand passer inn hos noen kommune.")
    try:
        res = milp(c=-np.array(values), constraints=constraints, integrality=np.ones(n), bounds=Bounds(0, 1),
                   options={"time_limit": time_limit, "mip_rel_gap": gap, "presolve": True})
    except Exception as exc:  # noqa: BLE001 - any solver failure falls back to greedy
        return _fallback(everyone, municipalities, per_household, f"Løseren feilet ({type(exc).__name__}).")
    if res.x is None:
        return _fallback(everyone, municipalities, per_household, f"Løseren fant ingen løsning ({res.message}).")
    chosen = np.flatnonzero(res.x > 0.5)
    assignments = {var_h[i]: var_m[i] for i in chosen}
    message = "Optimal løsning." if res.status == 0 else f"Beste løsning innen tidsgrensen ({res.message})."
    # Places the model left over go to households it did not consider, longest waiting first.
    filled = greedy(everyone, municipalities, per_household, assignments=assignments)
    return MatchResult(filled.assignments, filled.objective, "milp", time.perf_counter() - started, message,
                       candidates=filled.candidates)


def _worth_modelling(households, municipalities, factor: float = 1.6):
    """When far more persons wait than there are places, the households with the least value per
    person cannot win a place in the optimum's bulk; leave them to the greedy fill."""
    places = sum(m.capacity for m in municipalities)
    ordered = sorted(households, key=lambda h: (-(1 + h.waiting_days / 30.0), h.household_id))
    kept, persons = [], 0
    for h in ordered:
        if persons >= factor * places:
            break
        kept.append(h)
        persons += h.size
    return kept


def build_model(households, municipalities, options):
    """Variables (one per household and candidate municipality), their scores and the constraints."""
    var_h, var_m, values = [], [], []
    for h in households:
        for value, m in options[h.household_id]:
            var_h.append(h.household_id)
            var_m.append(m.municipality_id)
            values.append(value)
    n = len(values)
    if n == 0:
        return var_h, var_m, values, []
    h_index = {h.household_id: i for i, h in enumerate(households)}
    m_index = {m.municipality_id: i for i, m in enumerate(municipalities)}
    size = {h.household_id: h.size for h in households}
    minor = {h.household_id: h.minor for h in households}
    cols = np.arange(n)
    # Each household at most once.
    one = coo_matrix((np.ones(n), ([h_index[x] for x in var_h], cols)), shape=(len(households), n))
    # Persons per municipality within its places, and minors within its places for minors.
    sizes = np.array([size[x] for x in var_h], dtype=float)
    cap = coo_matrix((sizes, ([m_index[x] for x in var_m], cols)), shape=(len(municipalities), n))
    minor_mask = np.array([minor[x] for x in var_h])
    minor_cols = cols[minor_mask]
    minor_rows = [m_index[var_m[i]] for i in minor_cols]
    cap_minor = coo_matrix((sizes[minor_mask], (minor_rows, minor_cols)), shape=(len(municipalities), n))
    constraints = [
        LinearConstraint(one.tocsr(), -np.inf, 1),
        LinearConstraint(cap.tocsr(), -np.inf, np.array([m.capacity for m in municipalities], dtype=float)),
        LinearConstraint(cap_minor.tocsr(), -np.inf, np.array([m.minor_capacity for m in municipalities], dtype=float)),
    ]
    return var_h, var_m, values, constraints


def upper_bound(households, municipalities) -> float:
    """The LP relaxation of the full model (every feasible pair): no assignment can score more."""
    options = candidate_lists(households, municipalities, None)
    _, _, values, constraints = build_model(households, municipalities, options)
    res = milp(c=-np.array(values), constraints=constraints, integrality=np.zeros(len(values)), bounds=Bounds(0, 1))
    return -float(res.fun)


def _fallback(households, municipalities, per_household, why: str) -> MatchResult:
    result = greedy(households, municipalities, per_household)
    result.message = f"{why} Grådig fordeling brukt i stedet."
    return result


# --- Loading from the database ----------------------------------------------------------------


def load_problem(actor, year: int, region_id: int | None = None, limit: int | None = None):
    """Settlement-ready households in the actor's scope and every municipality's places left, in a few queries."""
    from django.utils import timezone

    from core.models import Municipality

    from . import selectors
    from .models import Composition, HouseholdStatus

    today = timezone.localdate()
    qs = selectors.households_for(actor).filter(status=HouseholdStatus.READY).order_by("waiting_since", "id")
    if region_id:
        qs = qs.filter(region_id=region_id)
    if limit:
        qs = qs[:limit]
    households = [
        HouseholdNeed(h["id"], h["size"], (today - h["waiting_since"]).days, h["composition"] == Composition.UNACCOMPANIED_MINOR,
                      h["tied_municipality_id"], bool(h["special_needs"]), h["region_id"])
        for h in qs.values("id", "size", "waiting_since", "composition", "tied_municipality_id", "special_needs", "region_id")
    ]
    munis = list(Municipality.objects.values("id", "population", "region_id"))
    caps = selectors.capacities([m["id"] for m in munis], year)
    slots = [MunicipalitySlot(m["id"], max(caps[m["id"]].available_to_propose, 0), max(caps[m["id"]].minors_remaining, 0),
                              m["population"], m["region_id"])
             for m in munis if caps[m["id"]].has_decision and caps[m["id"]].available_to_propose > 0]
    return households, slots
