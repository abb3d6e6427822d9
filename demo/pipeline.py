"""Deterministic demo data: the whole country's settlement flow over three years, calibrated to the 2014 evaluation.

The demo is built from the settlements backwards. For every year from the first demo year on, each regional office
settles its share of the year's settled persons (demo/calibration.py: footnote 48's proportions, the year's volume);
settlement dates follow the year's months; each household's wait from residence permit to settlement is drawn so
that the year's share within 6 months and average wait meet table 9.1 exactly. Households that settle after the
as-of date but were settlement-ready by then are the queue: mostly single adults, ageing as waits lengthen.
Municipalities are those valid in each year (the 2014 structure up to 2016, today's from 2024). The same as-of
date, scale and seed always give the same rows; the real clock is never read.
"""

import math
import random
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from django.db import transaction
from django.utils import timezone

from core.models import Municipality, ReceptionCentre, Region
from core.services import load_reference_data

from settlement.models import Category, Composition, DeclineReason, EventKind, ExitReason, HouseholdStatus
from settlement.services import MINORS_REGION_CODE, waiting_target_months

from . import calibration as cal
from .people import HOUSEHOLD_KINDS, RESETTLEMENT_BIAS, SPECIAL_NEEDS, WAIT_BIAS, draw, household_size, make_persons
from .places import create_needs_requests_decisions
from .store import aware, clear_demo, demo_data_exists, save_plans  # noqa: F401 (re-exported)
from .users import create_users, demo_password_hash

# The first municipal reform (2017); from then on the demo loads every later structure and its successions.
FIRST_REFORM = date(2017, 1, 1)
FUTURE_YEARS = 3  # settlements this many years after the as-of date are planned, so the queue has its long tail
EXIT_SHARE = 0.03  # households that leave the queue without IMDi (settle on their own, withdraw)


@dataclass(slots=True)
class PlannedHousehold:
    """A household as the demo plans it, written with demo.store.insert_rows: a Household model instance per planned
    household (34,000 at scale 1, most of them before the filter on the as-of date) cost a second and a half."""

    category: str
    composition: str
    size: int
    bias: float  # log offset of the wait (DemoBuilder.bias)
    exits: bool = False  # leaves the queue without IMDi
    pk: int | None = None
    status: str = HouseholdStatus.READY
    region: Region | None = None
    reception_centre: ReceptionCentre | None = None
    waiting_since: date | None = None
    waiting_target_months: int | None = None
    settlement_ready_on: date | None = None
    special_needs: str = ""
    tied_municipality: Municipality | None = None
    ties_note: str = ""
    municipality: Municipality | None = None
    settlement_year: int | None = None
    assigned_on: date | None = None
    settled_on: date | None = None
    exit_reason: str = ""
    exited_on: date | None = None

    def row(self) -> dict:
        """The Household row (field attname: value)."""
        pk = lambda obj: obj.pk if obj is not None else None  # noqa: E731
        return {"id": self.pk, "status": self.status, "category": self.category, "composition": self.composition,
                "size": self.size, "region_id": self.region.pk, "reception_centre_id": pk(self.reception_centre),
                "waiting_since": self.waiting_since, "waiting_target_months": self.waiting_target_months,
                "settlement_ready_on": self.settlement_ready_on, "special_needs": self.special_needs,
                "tied_municipality_id": pk(self.tied_municipality), "ties_note": self.ties_note,
                "municipality_id": pk(self.municipality), "settlement_year": self.settlement_year,
                "assigned_on": self.assigned_on, "settled_on": self.settled_on, "exit_reason": self.exit_reason,
                "exited_on": self.exited_on}


@dataclass
class Plan:
    household: PlannedHousehold
    kind: tuple
    settle_on: date | None  # planned settlement date (may be after the as-of date); None for those who exit
    z: float = 0.0
    persons: list = field(default_factory=list)
    events: list = field(default_factory=list)
    proposals: list = field(default_factory=list)  # (municipality, date, deadline, status, reason, responded)


class DemoBuilder:
    def __init__(self, as_of: date, scale: float = 1.0, seed: int = 2014):
        self.as_of, self.scale = as_of, scale
        self.rng = random.Random(seed)
        self.years = [as_of.year - 2, as_of.year - 1, as_of.year]
        self.duf_seq = 0
        self._candidates = {}

    def build(self):
        with ThreadPoolExecutor(1) as pool:
            # The demo password's hash (0.2 s of PBKDF2, which releases the GIL) made on the other core while the
            # flow is planned; create_users then finds it made (issue 14).
            hashed = pool.submit(demo_password_hash)
            load_reference_data(history=self.as_of >= FIRST_REFORM)
            self.regions = {r.code: r for r in Region.objects.all()}
            self.municipalities = {y: list(Municipality.objects.valid_on(date(y, 1, 1)).select_related("region").order_by("number"))
                                   for y in self.years}
            self.centres = list(ReceptionCentre.objects.select_related("municipality__region").order_by("name"))
            self.deciders = self.choose_deciders()
            plans = self.plan_flow()
            self.used, self.used_minors = defaultdict(int), defaultdict(int)
            for plan in plans:
                self.write_history(plan)
            hashed.result()
        create_users(self.regions, {m.pk: m for ms in self.municipalities.values() for m in ms}.values())
        create_needs_requests_decisions(self)
        save_plans(plans)

    # -- who decides ------------------------------------------------------------------------------------------

    def choose_deciders(self) -> dict[int, list[Municipality]]:
        """The municipalities asked in a year (the largest, where the evaluation gives a count) less a few that
        decide nothing; the rest have places. Oslo always decides (the demo's municipality users live there)."""
        self.requested = {}
        deciders = {}
        for y in self.years:
            ms = self.municipalities[y]
            n = cal.REQUESTED_MUNICIPALITIES.get(y, len(ms))
            asked = sorted(sorted(ms, key=lambda m: (-m.population, m.number))[:n], key=lambda m: m.number)
            self.requested[y] = asked
            deciders[y] = [m for m in asked if m.number == "0301" or self.rng.random() >= 0.07]
        return deciders

    # -- the flow ---------------------------------------------------------------------------------------------

    def plan_flow(self) -> list[Plan]:
        rng, plans = self.rng, []
        # Cumulative weights computed once: rng.choices draws the same as with `weights`, without summing them per call.
        kinds, cum_weights = [k[:2] for k in HOUSEHOLD_KINDS], list(accumulate(k[2] for k in HOUSEHOLD_KINDS))
        for y in range(self.years[0], self.as_of.year + FUTURE_YEARS + 1):
            year_plans = []
            for code, office_share in cal.OFFICE_SHARE.items():
                target = cal.year(y).settled * self.scale * office_share
                persons, office_plans = 0, []
                while persons < target - 0.5:
                    composition, category = draw(rng, kinds, cum_weights)
                    size = household_size(rng, composition)
                    bias = RESETTLEMENT_BIAS if category == Category.RESETTLEMENT else WAIT_BIAS[composition]
                    plan = Plan(PlannedHousehold(category, composition, size, bias), (code, y), None, rng.gauss(0, 1))
                    if rng.random() < EXIT_SHARE:
                        plan.household.exits = True
                    else:
                        persons += size
                    office_plans.append(plan)
                self.date_settlements(office_plans, y)
                year_plans += office_plans
            self.draw_waits(year_plans, y)
            plans += [p for p in year_plans if p.household.settlement_ready_on <= self.as_of]
        # First come, first served: history is written in the order households settle.
        plans.sort(key=lambda p: p.settle_on)
        return plans

    def date_settlements(self, plans: list[Plan], y: int):
        """Spread an office's settlements over the year by the month weights: the k-th person settles at the k-th
        quantile, so each office's settled count to any date is exact to one household, at any scale."""
        cumulative = [0.0]
        for w in cal.MONTH_WEIGHTS:
            cumulative.append(cumulative[-1] + w / sum(cal.MONTH_WEIGHTS))
        total = sum(p.household.size for p in plans) or 1
        seen = 0
        for p in plans:
            q = (seen + p.household.size / 2) / total
            seen += p.household.size
            month = next(m for m in range(12) if cumulative[m + 1] >= q)
            start = date(y, month + 1, 1)
            days = ((date(y, month + 2, 1) if month < 11 else date(y + 1, 1, 1)) - start).days
            frac = (q - cumulative[month]) / (cumulative[month + 1] - cumulative[month])
            p.settle_on = start + timedelta(days=min(days - 1, int(frac * days)))

    def draw_waits(self, plans: list[Plan], y: int):
        """Permit dates: each household's wait is the year's calibrated lognormal, shifted by its kind."""
        spec = cal.year(y)
        groups = {"general": [p for p in plans if p.household.composition != Composition.UNACCOMPANIED_MINOR],
                  "minors": [p for p in plans if p.household.composition == Composition.UNACCOMPANIED_MINOR]}
        targets = {"general": (spec.within_6m, spec.average_months, 183),
                   "minors": (spec.minors_within_3m, spec.minors_average_months, 91)}
        for name, group in groups.items():
            settling = [p for p in group if not p.household.exits]
            units = [(p.household.size, p.z, p.household.bias) for p in settling]
            median, sigma = cal.fit_waits(units, *targets[name])
            for p in group:
                h = p.household
                wait = max(1, round(median * math.exp(sigma * p.z + h.bias)))
                permit = p.settle_on - timedelta(days=wait)
                h.waiting_since = permit
                ready = permit if h.category == Category.RESETTLEMENT else permit + timedelta(days=self.rng.randint(5, 40))
                h.settlement_ready_on = min(ready, p.settle_on)

    # -- one household's history up to the as-of date ---------------------------------------------------------

    def next_duf(self, year: int) -> str:
        self.duf_seq += 1
        return f"{year}{self.duf_seq:08d}"

    def write_history(self, plan: Plan):
        rng, as_of, h = self.rng, self.as_of, plan.household
        code, _ = plan.kind
        minors = h.composition == Composition.UNACCOMPANIED_MINOR
        h.region = self.regions[MINORS_REGION_CODE if minors else code]
        h.waiting_target_months = waiting_target_months(h.composition)
        if h.category not in (Category.RESETTLEMENT, Category.PRIVATE):
            h.reception_centre = rng.choice(self.centre_pool(code, minors))
        h.special_needs = rng.choice(SPECIAL_NEEDS) if rng.random() < 0.07 else ""
        plan.persons = make_persons(rng, h.composition, h.category, h.size, h.waiting_since, self.next_duf)
        plan.events.append((EventKind.CREATED, aware(h.settlement_ready_on, 9), None, "", HouseholdStatus.READY, ""))
        if h.exits:
            exited_on = h.settlement_ready_on + timedelta(days=rng.randint(20, 150))
            if exited_on <= as_of:
                h.status, h.exited_on = HouseholdStatus.EXITED, exited_on
                h.exit_reason = rng.choice([ExitReason.SETTLED_ON_OWN, ExitReason.WITHDRAWN])
                plan.events.append((EventKind.EXITED, aware(exited_on), None, HouseholdStatus.READY, HouseholdStatus.EXITED,
                                    ExitReason(h.exit_reason).label))
            return
        settle_on, ready = plan.settle_on, h.settlement_ready_on
        assigned_on = max(ready, settle_on - timedelta(days=rng.randint(7, 30)))
        accepted_on = max(ready, assigned_on - timedelta(days=rng.randint(5, 20)))
        proposed_on = max(ready, accepted_on - timedelta(days=rng.randint(3, 13)))
        if proposed_on > as_of:
            return  # still settlement-ready, not yet proposed
        year = min(settle_on.year, as_of.year)
        municipality = self.pick_municipality(code, year, minors)
        h.municipality, h.settlement_year = municipality, year
        if rng.random() < 0.1:
            h.tied_municipality, h.ties_note = municipality, "Slektninger bosatt i kommunen"
        if rng.random() < 0.15 and proposed_on - timedelta(days=30) > ready:
            # First declined by another municipality of the office.
            other = self.pick_municipality(code, year, False, count=False)
            if other.pk != municipality.pk:
                first = proposed_on - timedelta(days=30)
                reason = rng.choice([DeclineReason.HOUSING, DeclineReason.HOUSING, DeclineReason.HEALTH, DeclineReason.COMPOSITION])
                plan.proposals.append((other, first, first + timedelta(days=14), "declined", reason, first + timedelta(days=10)))
                plan.events.append((EventKind.PROPOSED, aware(first), other, HouseholdStatus.READY, HouseholdStatus.PROPOSED, ""))
                plan.events.append((EventKind.DECLINED, aware(first + timedelta(days=10)), other, HouseholdStatus.PROPOSED,
                                    HouseholdStatus.READY, DeclineReason(reason).label))
        deadline = proposed_on + timedelta(days=14)
        plan.events.append((EventKind.PROPOSED, aware(proposed_on), municipality, HouseholdStatus.READY, HouseholdStatus.PROPOSED, ""))
        if accepted_on > as_of:
            h.status = HouseholdStatus.PROPOSED
            plan.proposals.append((municipality, proposed_on, deadline, "pending", "", None))
        else:
            plan.proposals.append((municipality, proposed_on, deadline, "accepted", "", accepted_on))
            plan.events.append((EventKind.ACCEPTED, aware(accepted_on), municipality, HouseholdStatus.PROPOSED, HouseholdStatus.ACCEPTED, ""))
            h.status = HouseholdStatus.ACCEPTED
            if assigned_on <= as_of:
                h.status, h.assigned_on = HouseholdStatus.ASSIGNED, assigned_on
                plan.events.append((EventKind.ASSIGNED, aware(assigned_on), municipality, HouseholdStatus.ACCEPTED, HouseholdStatus.ASSIGNED, ""))
                if settle_on <= as_of:
                    h.status, h.settled_on = HouseholdStatus.SETTLED, settle_on
                    for p in plan.persons:
                        p["settled_on"] = settle_on
                    plan.events.append((EventKind.SETTLED, aware(settle_on), municipality, HouseholdStatus.ASSIGNED, HouseholdStatus.SETTLED, ""))
        self.used[(municipality.pk, year)] += h.size
        if minors:
            self.used_minors[(municipality.pk, year)] += h.size

    def centre_pool(self, code: str, minors: bool) -> list[ReceptionCentre]:
        """The office's reception centres for minors or for the others (all of the kind where it has none)."""
        key = ("centres", code, minors)
        if key not in self._candidates:
            pool = [c for c in self.centres if (c.kind in ("minors", "care_centre")) == minors]
            self._candidates[key] = [c for c in pool if c.municipality.region.code == code] or pool
        return self._candidates[key]

    def pick_municipality(self, code: str, year: int, minors: bool, count: bool = True) -> Municipality:
        """A deciding municipality of the office, weighted by population; minors go to the larger ones. The places
        decided are set afterwards from what was used (demo/places.py), so none is ever over its decision."""
        key = (code, year, minors)
        if key not in self._candidates:
            ms = [m for m in self.deciders[year] if m.region.code == code and (not minors or m.population >= 8000)]
            ms = ms or [m for m in self.deciders[year] if m.region.code == code]
            self._candidates[key] = (ms, list(accumulate(m.population for m in ms)))
        ms, cum_weights = self._candidates[key]
        return draw(self.rng, ms, cum_weights)


@transaction.atomic
def seed_demo(as_of: date | None = None, scale: float = 1.0, seed: int = 2014) -> DemoBuilder:
    builder = DemoBuilder(as_of or timezone.localdate(), scale=scale, seed=seed)
    builder.build()
    return builder
