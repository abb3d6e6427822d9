"""Matching engine (utsøking): proposes which settlement-ready household goes to which municipality.

A household's score is its waiting value (persons weighted by days waited: the longest waiting first),
the same wherever it goes, plus a bonus from its class (`HouseholdClass`: size, unaccompanied minor,
special needs, region, tie) and the municipality. Households of a class differ only in waiting time, so
the exact model counts households instead of deciding each: integer counts per municipality and
(size, bonus) pool, each carrying the whole household (never split), within places left to propose and
places for minors; municipalities giving every class the same bonus share a profile whose pools are
filled from classes by continuous flows (a network flow: integral once the counts are fixed); a tied
class has one count at its tie and is its untied twin elsewhere; the k placed of a class are worth its
k longest waiting (concave, exact, no waiting buckets). HiGHS (highspy) proves the gap; counts are handed
out longest waiting first. At the time limit the better of best found and greedy is used; greedy alone
if the solver fails. A new bonus is a `HouseholdClass` field and a `placement_bonus` term; the profiles
pick it up. The result is a proposal for a caseworker to edit before anything is sent.
"""

import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import itemgetter

import numpy as np

from core.formatting import percent

try:
    import highspy
except ImportError:  # pragma: no cover - highspy is a dependency; the greedy pass still works without it
    highspy = None

LARGE_MUNICIPALITY = 50_000
CANDIDATES_PER_HOUSEHOLD = 25

OPTIMAL = "optimal"
TIME_LIMIT = "time limit: best found"
GREEDY = "greedy fallback"
METHOD_LABELS = {OPTIMAL: "Optimal (bevist)", TIME_LIMIT: "Beste funnet innen tidsgrensen", GREEDY: "Grådig fordeling",
                 "greedy": "Grådig fordeling", "edited": "Redigert"}


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


@dataclass(frozen=True)
class HouseholdClass:  # all the bonus and the constraints see of a household: everything but its waiting time
    size: int
    minor: bool
    special_needs: bool
    region_id: int | None
    tied_municipality_id: int | None = None


@dataclass
class MatchResult:
    assignments: dict[int, int]  # household id -> municipality id
    objective: float
    method: str  # OPTIMAL, TIME_LIMIT or GREEDY ("greedy" from greedy() alone, "edited" from the view)
    seconds: float
    message: str = ""
    candidates: dict[int, list[int]] = field(default_factory=dict)  # household id -> municipalities, best first
    mip_gap: float | None = None  # the relative gap the solver proved between its solution and its bound
    bound: float | None = None  # no assignment can score more than this

    @property
    def method_label(self) -> str:
        return METHOD_LABELS.get(self.method, self.method)


def household_class(h: HouseholdNeed) -> HouseholdClass:
    return HouseholdClass(h.size, h.minor, h.special_needs, h.region_id, h.tied_municipality_id)


def waiting_value(h: HouseholdNeed) -> float:
    """The part of the score that does not depend on where the household goes."""
    return h.size * (1.0 + h.waiting_days / 30.0)


def placement_bonus(c: HouseholdClass, m: MunicipalitySlot) -> float:
    value = 0.0
    if c.tied_municipality_id == m.municipality_id:
        value += 5.0 * c.size
    if c.special_needs and m.population >= LARGE_MUNICIPALITY:
        value += 2.0 * c.size
    if c.region_id is not None and c.region_id == m.region_id:
        value += 0.5 * c.size
    return value


def score(h: HouseholdNeed, m: MunicipalitySlot) -> float:  # per class: a waiting value plus a class bonus
    return waiting_value(h) + placement_bonus(household_class(h), m)


def feasible(h: HouseholdNeed | HouseholdClass, m: MunicipalitySlot) -> bool:
    return h.size <= m.capacity and (not h.minor or h.size <= m.minor_capacity)


def _ranked(c: HouseholdClass, municipalities) -> list[tuple[float, MunicipalitySlot]]:
    """Best bonus first, then by municipality id (`municipalities` come sorted by id; the sort is stable)."""
    return sorted(((placement_bonus(c, m), m) for m in municipalities if feasible(c, m)), key=itemgetter(0), reverse=True)


def candidate_lists(households, municipalities, per_household: int | None) -> dict[int, list[tuple[float, MunicipalitySlot]]]:
    """Each household's municipalities, best first. With a limit, the best quarter are kept, the tie
    always, and the rest are spread evenly over all municipalities with room, with a different offset
    per household, so that together the households can reach every municipality's places. Ranked once
    per class: the order depends on the class alone."""
    ranked, result, municipalities = {}, {}, sorted(municipalities, key=lambda m: m.municipality_id)
    for h in households:
        c = household_class(h)
        if c not in ranked:
            ranked[c] = _ranked(c, municipalities)
        options = ranked[c]
        if per_household is not None and len(options) > per_household:
            best = max(1, per_household // 4)
            rest = options[best:]
            step = max(1, len(rest) // (per_household - best))
            kept = options[:best] + rest[h.household_id % step::step][: per_household - best]
            tie = None if h.tied_municipality_id is None else next(
                (o for o in rest if o[1].municipality_id == h.tied_municipality_id), None)
            if tie and tie not in kept:
                kept.append(tie)
            options = sorted(kept, key=lambda bm: (-bm[0], bm[1].municipality_id))
        result[h.household_id] = [(waiting_value(h) + bonus, m) for bonus, m in options]
    return result


def greedy(households, municipalities, per_household: int | None = CANDIDATES_PER_HOUSEHOLD) -> MatchResult:
    """Longest waiting first, each to its best municipality with room."""
    started = time.perf_counter()
    left = {m.municipality_id: m.capacity for m in municipalities}
    left_minor = {m.municipality_id: m.minor_capacity for m in municipalities}
    options = candidate_lists(households, municipalities, per_household)
    assignments, objective = {}, 0.0
    for h in sorted(households, key=lambda h: (-h.waiting_days, -h.size, h.household_id)):
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


# --- The exact model: integer counts per class and municipality ---------------------------------


@dataclass
class ClassModel:
    """The class model in HiGHS's column form, with what is needed to hand the counts out again. Columns:
    ("y", municipality id, pool) and ("t", tied class, municipality id) integer counts; ("f", pool, class),
    ("u", tied class) placed through its untied twin, ("z", class, waiting days) continuous."""

    members: dict[HouseholdClass, list[HouseholdNeed]]  # longest waiting first
    columns: list[tuple]
    cost: np.ndarray
    upper: np.ndarray
    integer: np.ndarray
    matrix: "ColumnMatrix"  # rows: places, places for minors, pools, class balances
    row_lower: np.ndarray
    row_upper: np.ndarray


def _base(c: HouseholdClass) -> HouseholdClass:
    return replace(c, tied_municipality_id=None)


@dataclass
class ColumnMatrix:
    """The constraint matrix column by column, as HiGHS takes it (no scipy: importing it took longer than a solve)."""

    shape: tuple[int, int]
    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray


def build_model(households, municipalities) -> ClassModel:
    slots = {m.municipality_id: m for m in municipalities}
    members = defaultdict(list)
    for h in households:
        c = household_class(h)
        members[c if c.tied_municipality_id in slots else _base(c)].append(h)  # a tie without places earns nothing
    for group in members.values():
        group.sort(key=lambda h: (-h.waiting_days, h.household_id))
    bases = sorted({_base(c) for c in members}, key=repr)
    tied = sorted((c for c in members if c.tied_municipality_id is not None), key=repr)
    available = defaultdict(int)
    for c, group in members.items():
        available[_base(c)] += len(group)
    profile = {mid: tuple(placement_bonus(b, m) for b in bases) for mid, m in slots.items()}
    pools = defaultdict(list)  # (profile, (size, minor, bonus)) -> the untied classes it draws from
    for p in sorted(set(profile.values())):
        for i, b in enumerate(bases):
            pools[p, (b.size, b.minor, p[i])].append(b)
    n_m = len(slots)
    row = {**{("cap", mid): i for i, mid in enumerate(slots)}, **{("minor", mid): n_m + i for i, mid in enumerate(slots)}}
    for key in list(pools) + bases + tied:
        row[key] = len(row)
    rows, cols, vals, cost, upper, integer, columns = [], [], [], [], [], [], []

    def column(value, hi, entries, name, is_int=False):
        if hi > 0:
            for r, v in entries:
                rows.append(r), cols.append(len(cost)), vals.append(v)
            cost.append(value), upper.append(float(hi)), integer.append(is_int), columns.append(name)

    def count(m, size, minor, hi, balance, name, value):
        room = min(hi, (min(m.capacity, m.minor_capacity) if minor else m.capacity) // size)
        entries = [(row["cap", m.municipality_id], size), (balance, 1.0)] + ([(row["minor", m.municipality_id], size)] if minor else [])
        column(value, room, entries, name, is_int=True)

    by_profile = defaultdict(list)
    for pool in pools:
        by_profile[pool[0]].append(pool)
    for mid, m in slots.items():
        for pool in by_profile[profile[mid]]:
            size, minor, bonus = pool[1]
            count(m, size, minor, sum(available[b] for b in pools[pool]), row[pool], ("y", mid, pool), bonus)
    for pool, classes in pools.items():
        for b in classes:
            column(0.0, available[b], [(row[pool], -1.0), (row[b], 1.0)], ("f", pool, b))
    for c in tied:
        tie = slots[c.tied_municipality_id]
        count(tie, c.size, c.minor, len(members[c]), row[c], ("t", c, tie.municipality_id), placement_bonus(c, tie))
        column(0.0, len(members[c]), [(row[c], 1.0), (row[_base(c)], -1.0)], ("u", c))
    for c, group in members.items():
        for days, same in groupby(group, key=lambda h: h.waiting_days):
            same = list(same)
            column(waiting_value(same[0]), len(same), [(row[c], -1.0)], ("z", c, days))
    capacities = [m.capacity for m in slots.values()] + [m.minor_capacity for m in slots.values()]
    return ClassModel(dict(members), columns, np.array(cost), np.array(upper), np.array(integer, dtype=bool),
                      _columns(rows, cols, vals, (len(row), len(cost))),
                      np.concatenate([np.full(2 * n_m, -np.inf), np.zeros(len(row) - 2 * n_m)]),
                      np.array(capacities + [0] * (len(row) - 2 * n_m), dtype=float))


def _columns(rows, cols, vals, shape) -> ColumnMatrix:
    """`column()` writes each column's entries together and in order, so the column starts are running counts."""
    starts = np.zeros(shape[1] + 1, dtype=np.int64)
    np.add.at(starts, np.asarray(cols, dtype=np.int64) + 1, 1)
    return ColumnMatrix(shape, np.cumsum(starts), np.asarray(rows, dtype=np.int64), np.asarray(vals, dtype=float))


def _highs(model: ClassModel, *, relax: bool = False, fixed=None, time_limit: float = 30.0, gap: float = 1e-4, on_gap=None):
    """Solve the model (or its LP relaxation, or with the counts `fixed`) with HiGHS. `on_gap(gap)` hears the gap
    proven so far while the MIP runs (for a job's progress)."""
    lp = highspy.HighsLp()
    lp.num_row_, lp.num_col_ = model.matrix.shape
    upper = model.upper if fixed is None else np.where(model.integer, np.round(fixed), model.upper)
    lower = np.zeros(len(model.cost)) if fixed is None else np.where(model.integer, upper, 0.0)
    lp.col_cost_, lp.col_lower_, lp.col_upper_ = model.cost, lower, upper
    lp.row_lower_, lp.row_upper_ = model.row_lower, model.row_upper
    lp.sense_ = highspy.ObjSense.kMaximize
    lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
    lp.a_matrix_.start_, lp.a_matrix_.index_, lp.a_matrix_.value_ = model.matrix.indptr, model.matrix.indices, model.matrix.data
    if not relax and fixed is None:
        lp.integrality_ = [highspy.HighsVarType.kInteger if i else highspy.HighsVarType.kContinuous for i in model.integer]
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("time_limit", float(time_limit))
    h.setOptionValue("mip_rel_gap", float(gap))
    h.setOptionValue("mip_allow_restart", False)  # issue 14: the bound is tight early; restarts delay the solution
    h.passModel(lp)
    if on_gap is not None and not relax and fixed is None:
        h.cbMipInterrupt.subscribe(lambda event: on_gap(event.data_out.mip_gap))
    h.run()
    return h


def integral_solution(model: ClassModel, values) -> np.ndarray:
    """Counts fixed, which classes fill each pool is a network flow: a simplex vertex of it is integral."""
    x = np.asarray(values)
    if np.abs(x - np.round(x)).max(initial=0.0) > 1e-6:
        x = np.asarray(_highs(model, fixed=values).getSolution().col_value)
    if np.abs(x[~model.integer] - np.round(x[~model.integer])).max(initial=0.0) > 1e-6:
        raise ArithmeticError("fractional flow")
    return x


def disaggregate(model: ClassModel, values) -> dict[int, int]:
    """Hand the counts to households, longest waiting first: a tied class fills its tie column from
    its own longest waiting, then each class's share of the pools goes to the longest waiting of what
    is left of it and its tied twins. No other choice scores more for the same counts."""
    counts = [int(round(v)) for v in values]
    left = {c: list(group) for c, group in model.members.items()}
    assignments, places, takers = {}, defaultdict(list), defaultdict(list)
    for name, k in zip(model.columns, counts):
        if k and name[0] == "t":
            for h in left[name[1]][:k]:
                assignments[h.household_id] = name[2]
            left[name[1]] = left[name[1]][k:]
        elif k and name[0] == "y":
            places[name[2]] += [name[1]] * k
    twins = defaultdict(list)
    for c, group in left.items():
        twins[_base(c)] += group
    queue = {b: iter(sorted(group, key=lambda h: (-h.waiting_days, h.household_id))) for b, group in twins.items()}
    for name, k in zip(model.columns, counts):
        if k and name[0] == "f":
            takers[name[1]] += [next(queue[name[2]]) for _ in range(k)]
    for pool, municipalities in places.items():
        for h, mid in zip(takers[pool], municipalities, strict=True):
            assignments[h.household_id] = mid
    return assignments


def objective_of(households, municipalities, assignments) -> float:
    slot = {m.municipality_id: m for m in municipalities}
    return sum(score(h, slot[assignments[h.household_id]]) for h in households if h.household_id in assignments)


def within_places(households, municipalities, assignments) -> bool:
    persons, minors = defaultdict(int), defaultdict(int)
    for h in households:
        if (mid := assignments.get(h.household_id)) is not None:
            persons[mid] += h.size
            minors[mid] += h.size if h.minor else 0
    return all(persons[m.municipality_id] <= m.capacity and minors[m.municipality_id] <= m.minor_capacity for m in municipalities)


def solve(households, municipalities, *, per_household: int | None = CANDIDATES_PER_HOUSEHOLD, time_limit: float = 30.0,
          gap: float = 1e-4, progress=None) -> MatchResult:
    """The exact proposal, to a proven relative gap of at most `gap`; at the time limit the better of the
    best found and greedy. `per_household` only shapes the greedy pass (the page ranks the candidates it shows itself).
    `progress(percent, stage)` hears how far it has come (a job's progress bar)."""
    households, municipalities = list(households), list(municipalities)
    if highspy is None:
        return _fallback(households, municipalities, per_household, "HiGHS mangler.")
    started = time.perf_counter()
    report = progress or (lambda percent, stage: None)
    try:
        report(20, "Bygger modellen")
        model = build_model(households, municipalities)
        if not model.integer.any():
            return MatchResult({}, 0.0, OPTIMAL, time.perf_counter() - started, "Ingen husstand passer inn hos noen kommune.",
                               mip_gap=0.0, bound=0.0)
        report(30, "Løser modellen (HiGHS)")
        # The share of the time limit used, or of the gap closed (from 10 % down to the goal), whichever is further.
        on_gap = None if progress is None else (lambda g: report(30 + int(60 * max(
            min(1.0, (time.perf_counter() - started) / time_limit),
            0.0 if not g < 0.1 else min(1.0, (0.1 - g) / (0.1 - gap)))), "Løser modellen (HiGHS)"))
        h = _highs(model, time_limit=time_limit, gap=gap, on_gap=on_gap)
        status, info = h.getModelStatus(), h.getInfo()
        assignments = None
        report(90, "Fordeler husstandene")
        if info.primal_solution_status == 2:  # a feasible solution
            assignments = disaggregate(model, integral_solution(model, h.getSolution().col_value))
    except Exception as exc:  # noqa: BLE001 - any solver failure falls back to greedy
        return _fallback(households, municipalities, per_household, f"Løseren feilet ({type(exc).__name__}).")
    if assignments is None or not within_places(households, municipalities, assignments):
        return _fallback(households, municipalities, per_household, f"Løseren fant ingen løsning ({h.modelStatusToString(status)}).")
    objective = objective_of(households, municipalities, assignments)
    bound = max(float(info.mip_dual_bound), objective)
    method, message = OPTIMAL, "Optimal løsning"
    if status != highspy.HighsModelStatus.kOptimal:
        method, message = TIME_LIMIT, "Tidsgrensen nådd; beste løsning funnet"
        base = greedy(households, municipalities, per_household)
        if base.objective > objective:
            method, message, assignments, objective = GREEDY, "Tidsgrensen nådd; grådig fordeling var bedre", base.assignments, base.objective
    proven = (bound - objective) / max(abs(objective), 1e-9)
    return MatchResult(assignments, objective, method, time.perf_counter() - started,
                       f"{message}, bevist høyst {percent(100 * proven, 3)} fra det best mulige.", mip_gap=proven, bound=bound)


def upper_bound(households, municipalities) -> float:
    """The LP relaxation of the class model: no assignment can score more."""
    model = build_model(households, municipalities)
    if not model.integer.any():
        return 0.0
    return float(_highs(model, relax=True).getInfo().objective_function_value)


def _fallback(households, municipalities, per_household, why: str) -> MatchResult:
    result = greedy(households, municipalities, per_household)
    result.method, result.message = GREEDY, f"{why} Grådig fordeling brukt i stedet."
    return result


# --- Loading from the database ----------------------------------------------------------------


def load_problem(actor, year: int, region_id: int | None = None, limit: int | None = None):
    """Settlement-ready households in the actor's scope and every municipality's places left, in a few queries."""
    from django.utils import timezone

    from core.models import Municipality

    from . import selectors
    from .models import Composition, HouseholdStatus

    from .services.interviews import may_be_proposed

    today = timezone.localdate()
    qs = selectors.households_for(actor).filter(status=HouseholdStatus.READY).order_by("waiting_since", "id")
    if region_id:
        qs = qs.filter(region_id=region_id)
    if limit:
        qs = qs[:limit]
    # Only households a proposal may include: the engine's answer must be one the caseworker can send (a household
    # still waiting for its settlement interview was proposed and then refused with interview_missing).
    households = [
        HouseholdNeed(h.pk, h.size, (today - h.waiting_since).days, h.composition == Composition.UNACCOMPANIED_MINOR,
                      h.tied_municipality_id, bool(h.special_needs), h.region_id)
        for h in qs.select_related(None).select_related("interview_waiver").prefetch_related(None)
        .prefetch_related("persons__interview")
        if may_be_proposed(h, today)
    ]
    munis = list(Municipality.objects.values("id", "population", "region_id"))
    caps = selectors.capacities([m["id"] for m in munis], year)
    slots = [MunicipalitySlot(m["id"], max(caps[m["id"]].available_to_propose, 0), max(caps[m["id"]].minors_remaining, 0),
                              m["population"], m["region_id"])
             for m in munis if caps[m["id"]].has_decision and caps[m["id"]].available_to_propose > 0]
    return households, slots


# --- A computation asked for from the page (MatchingRun): in the request or as a Celery job -----------------

JOB_TIME_LIMIT = 60.0  # a Celery job has the time a request has not
BATCH_HOUSEHOLDS = 1000  # the longest waiting households the page lists and a computation places
INLINE_HOUSEHOLDS = 200  # solved in the request (well under a second); a larger batch is a Celery job


def request_run(actor, year: int, region_id: int | None, *, inline_households: int = INLINE_HOUSEHOLDS,
                batch_households: int = BATCH_HOUSEHOLDS):
    """Record a computation of the actor's batch and run it: in the request when the batch is small, otherwise as a
    Celery job with progress (core.jobs.enqueue keeps it in the database while the broker is down)."""
    from core import policy
    from core.jobs import enqueue

    from .models import MatchingRun
    from .tasks import solve_matching

    policy.require(actor, "settlement.propose")
    from datetime import timedelta

    from django.utils import timezone

    pending = MatchingRun.objects.filter(requested_by=actor.user, year=year, region_id=region_id, created_at__gte=timezone.now()
                                         - timedelta(minutes=10), status__in=[MatchingRun.Status.QUEUED, MatchingRun.Status.RUNNING])
    if pending.exists():  # a second press while the job runs does not start another
        return pending.first()
    households, slots = load_problem(actor, year, region_id, limit=batch_households)
    run = MatchingRun.objects.create(requested_by=actor.user, year=year, region_id=region_id, households=len(households))
    if len(households) <= inline_households:
        execute_run(run.pk, problem=(households, slots), time_limit=20.0)
    else:
        enqueue(solve_matching, run.pk)
    return run


def execute_run(run_id: int, *, problem=None, time_limit: float = JOB_TIME_LIMIT, limit: int | None = BATCH_HOUSEHOLDS) -> None:
    """Solve a recorded computation, writing its progress as it goes; the requester must still be allowed to propose
    (a job runs later, as the one who asked). A run already started (a redelivered job) is left alone."""
    from django.utils import timezone

    from core import policy
    from core.errors import Forbidden
    from core.roles import actor_for

    from .models import MatchingRun

    claimed = MatchingRun.objects.filter(pk=run_id, status=MatchingRun.Status.QUEUED).update(
        status=MatchingRun.Status.RUNNING, progress=5, stage="Henter husstander og ledige plasser")
    if not claimed:
        return
    run = MatchingRun.objects.select_related("requested_by").get(pk=run_id)
    last = [0.0, 5]

    def progress(percent: int, stage: str) -> None:  # at most one write a second, never backwards
        now = time.monotonic()
        if percent > last[1] and (now - last[0] >= 1.0 or percent >= 90):
            last[:] = [now, percent]
            MatchingRun.objects.filter(pk=run_id, status=MatchingRun.Status.RUNNING).update(progress=percent, stage=stage)

    try:
        actor = actor_for(run.requested_by)
        policy.require(actor, "settlement.propose")
        households, slots = problem or load_problem(actor, run.year, run.region_id, limit=limit)
        result = solve(households, slots, time_limit=time_limit, progress=progress)
    except Forbidden as exc:
        MatchingRun.objects.filter(pk=run_id).update(status=MatchingRun.Status.FAILED, message=str(exc)[:300],
                                                     finished_at=timezone.now())
        return
    except Exception:
        MatchingRun.objects.filter(pk=run_id).update(status=MatchingRun.Status.FAILED, finished_at=timezone.now(),
                                                     message="Beregningen feilet.")
        raise
    MatchingRun.objects.filter(pk=run_id).update(
        status=MatchingRun.Status.DONE, progress=100, stage="", households=len(households),
        assignments={str(k): v for k, v in result.assignments.items()}, method=result.method, mip_gap=result.mip_gap,
        seconds=result.seconds, message=result.message[:300], finished_at=timezone.now())
