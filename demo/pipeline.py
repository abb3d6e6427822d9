"""Deterministic demo data: a few years of plausible settlement cases.

The same `as_of` date and `scale` always give the same rows, so figures in tests are stable.
Volumes follow the 2014 evaluation: a national need of about 9,500–11,000 persons a year,
municipalities deciding fewer places than requested, most refugees single adults, about 60 %
of adults settled within six months and minors usually within three.
"""

import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from core.models import Municipality, ReceptionCentre, Region, Role, UserProfile
from core.services import load_reference_data

from settlement.models import (
    Category,
    Composition,
    DeclineReason,
    DistributionList,
    EventKind,
    ExitReason,
    Household,
    HouseholdEvent,
    HouseholdStatus,
    MunicipalDecision,
    NationalNeed,
    Person,
    Proposal,
    ProposalStatus,
    RequestedPlaces,
    SettlementRequest,
)
from settlement.services import MINORS_REGION_CODE, waiting_target_months

# The demo municipalities hold roughly this share of the national settlement.
DEMO_SHARE = 0.4

NAMES = {
    "ERI": (["Yonas", "Daniel", "Samuel", "Filmon", "Tesfay", "Mehari"], ["Helen", "Selam", "Senait", "Luwam", "Mebrat"],
            ["Tesfamariam", "Ghebremedhin", "Haile", "Kidane", "Woldu", "Berhe"]),
    "SOM": (["Abdi", "Mohamed", "Ahmed", "Hassan", "Yusuf"], ["Fadumo", "Amina", "Hodan", "Sahra", "Asha"],
            ["Ali", "Warsame", "Farah", "Hussein", "Jama", "Abdullahi"]),
    "SYR": (["Omar", "Khaled", "Ahmad", "Rami", "Yousef"], ["Rasha", "Lina", "Nour", "Hala", "Maya"],
            ["Al-Hassan", "Haddad", "Khalil", "Mansour", "Darwish", "Saleh"]),
    "AFG": (["Ali", "Mohammad", "Reza", "Hamid", "Jawad"], ["Zahra", "Fatima", "Maryam", "Shirin", "Parwana"],
            ["Ahmadi", "Hosseini", "Rahimi", "Karimi", "Sultani"]),
    "ETH": (["Abebe", "Dawit", "Tewodros"], ["Almaz", "Meseret", "Tigist"], ["Tadesse", "Bekele", "Girma"]),
    "SDN": (["Osman", "Adam", "Ibrahim"], ["Mariam", "Halima", "Khadija"], ["Abdelrahman", "Idris", "Musa"]),
    "IRN": (["Arash", "Babak", "Kaveh"], ["Leila", "Nasrin", "Parisa"], ["Moradi", "Rezaei", "Jafari"]),
    "IRQ": (["Karwan", "Haider", "Mustafa"], ["Shilan", "Zainab", "Huda"], ["Aziz", "Salih", "Jabbar"]),
    "XXA": (["Mahmoud", "Bilal", "Tareq"], ["Samira", "Rania", "Dina"], ["Abu Ali", "Nasser", "Odeh"]),
    "COD": (["Jean", "Patrick", "Emmanuel"], ["Grace", "Esther", "Chantal"], ["Mukendi", "Kabongo", "Ilunga"]),
    "MMR": (["Aung", "Htoo", "Saw"], ["Paw", "Naw", "Mu"], ["Moo", "Htoo", "Say"]),
}
NATIONALITY_WEIGHTS = {"ERI": 24, "SOM": 14, "SYR": 22, "AFG": 10, "ETH": 5, "SDN": 5, "IRN": 5, "IRQ": 4, "XXA": 5, "COD": 3, "MMR": 3}
RESETTLEMENT_NATIONALITIES = {"SYR": 6, "COD": 2, "MMR": 2}
MINOR_NATIONALITIES = {"AFG": 5, "ERI": 4, "SOM": 3, "SYR": 2}

# composition, category, weight
HOUSEHOLD_KINDS = [
    (Composition.SINGLE_ADULT, Category.RECEPTION_CENTRE, 50),
    (Composition.FAMILY_WITH_CHILDREN, Category.RECEPTION_CENTRE, 12),
    (Composition.FAMILY_WITHOUT_CHILDREN, Category.RECEPTION_CENTRE, 4),
    (Composition.UNACCOMPANIED_MINOR, Category.UNACCOMPANIED_MINOR, 9),
    (Composition.FAMILY_WITH_CHILDREN, Category.RESETTLEMENT, 7),
    (Composition.SINGLE_ADULT, Category.RESETTLEMENT, 3),
    (Composition.FAMILY_WITH_CHILDREN, Category.FAMILY_REUNIFICATION, 8),
    (Composition.SINGLE_ADULT, Category.PRIVATE, 3),
]
# Median months from residence permit to settlement, and the spread (lognormal sigma).
WAIT_MEDIAN = {
    Composition.SINGLE_ADULT: (5.4, 0.55),
    Composition.FAMILY_WITHOUT_CHILDREN: (5.0, 0.5),
    Composition.FAMILY_WITH_CHILDREN: (3.6, 0.55),
    Composition.UNACCOMPANIED_MINOR: (2.6, 0.45),
}
SPECIAL_NEEDS = ["Rullestolbruker, trenger tilrettelagt bolig", "Behov for oppfølging i psykisk helsevern",
                 "Kronisk sykdom, behov for fastlege ved ankomst", "Traumer, behov for oppfølging av helsesøster"]
DEMO_PASSWORD = "demo"


def _weighted(rng, weights: dict):
    keys = list(weights)
    return rng.choices(keys, weights=[weights[k] for k in keys])[0]


def _aware(day: date, hour=10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@dataclass
class _Plan:
    household: Household
    persons: list
    events: list = field(default_factory=list)
    proposals: list = field(default_factory=list)  # (municipality, list_date, deadline, status, reason, responded)


class DemoBuilder:
    def __init__(self, as_of: date, scale: float = 1.0, seed: int = 2014):
        self.as_of = as_of
        self.scale = scale
        self.rng = random.Random(seed)
        self.years = [as_of.year - 2, as_of.year - 1, as_of.year]
        self.duf_seq = 0

    # -- reference data, users, needs, requests, decisions ----------------------------------

    def build(self):
        load_reference_data()
        self.regions = {r.code: r for r in Region.objects.all()}
        # Still the 77 municipalities with a known population (a share of the country, DEMO_SHARE); the calibrated
        # whole-country demo of issue 11 is not done yet.
        self.municipalities = list(
            Municipality.objects.filter(population__gt=0).valid_on(date(2014, 1, 1)).select_related("region").order_by("number")
        )
        self.centres = list(ReceptionCentre.objects.select_related("municipality__region").order_by("name"))
        self.create_users()
        self.create_needs_requests_decisions()
        self.create_cases()
        self.raise_some_current_decisions()

    def create_users(self):
        User = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hash once: hashing per user would take seconds

        def user(username, first, last, role, **scope):
            u, _ = User.objects.update_or_create(
                username=username,
                defaults={"first_name": first, "last_name": last, "password": password,
                          "email": f"{username}@demo.imdi.no", "is_staff": role == Role.NATIONAL_ADMIN,
                          "is_superuser": role == Role.NATIONAL_ADMIN},
            )
            UserProfile.objects.update_or_create(user=u, defaults={"role": role, **scope})
            return u

        user("admin", "Ada", "Administrator", Role.NATIONAL_ADMIN)
        for code, region in self.regions.items():
            user(f"saksbehandler.{code}", "Saksbehandler", region.name, Role.CASEWORKER, region=region)
        for m in self.municipalities:
            user(f"kommune.{m.number}", "Flyktningkonsulent", m.name, Role.MUNICIPALITY, municipality=m, can_write=True)
        oslo = next(m for m in self.municipalities if m.number == "0301")
        user("kommune.0301.les", "Leser", "Oslo", Role.MUNICIPALITY, municipality=oslo, can_write=False)
        user("departement", "Rådgiver", "BLD", Role.MINISTRY)
        from core.models import Agency

        for code in ("udi", "bufetat", "nav", "husbanken"):
            user(f"{code}-klient", "API-klient", code.upper(), Role.AGENCY, agency=Agency.objects.get(code=code))

    def create_needs_requests_decisions(self):
        rng = self.rng
        base_need = {self.years[0]: (7900, 400, 1200), self.years[1]: (9100, 500, 1200), self.years[2]: (9400, 600, 1500)}
        total_pop = sum(m.population for m in self.municipalities)
        self.decided = {}
        self.decided_minors = {}
        for year, (adults, minors, resettlement) in base_need.items():
            # The demo holds a share of the country, so its need is that share of a national-scale need.
            factor = DEMO_SHARE * self.scale
            NationalNeed.objects.create(
                year=year, adults_and_families=round(adults * factor), unaccompanied_minors=round(minors * factor),
                resettlement_refugees=round(resettlement * factor),
                decided_on=date(year - 1, 9, 15), note="Fastsatt av Nasjonalt utvalg for mottak og bosetting.",
            )
        # One three-year request per municipality, sent in April the year before the first year.
        for m in self.municipalities:
            share = m.population / total_pop
            req = SettlementRequest.objects.create(
                municipality=m, sent_on=date(self.years[0] - 1, 4, 15), reply_deadline=date(self.years[0] - 1, 6, 15),
                note="Anmodning om bosetting av flyktninger for tre år.",
            )
            decides = rng.random()
            for year in self.years:
                adults, minors, resettlement = base_need[year]
                # IMDi asks for more than the need, as municipalities tend to decide fewer.
                requested = max(5, round((adults + minors + resettlement) * DEMO_SHARE * self.scale * share * 1.15))
                req_minors = round(requested * 0.08) if m.population > 15000 else 0
                RequestedPlaces.objects.create(request=req, municipality=m, year=year, persons=requested,
                                               unaccompanied_minors=req_minors)
                if decides < 0.08 and year == self.years[-1]:
                    continue  # has not decided for this year: "nothing"
                factor = rng.choice([0.5, 0.7, 0.8, 0.9, 1.0, 1.0, 1.1, 1.2])
                places = max(2, round(requested * factor))
                minor_places = min(places, round(req_minors * factor)) if req_minors else 0
                MunicipalDecision.objects.create(
                    municipality=m, year=year, places=places, unaccompanied_minors=minor_places,
                    decided_on=date(year - 1, rng.randint(6, 12), rng.randint(1, 28)), request=req,
                    housing_plan="Boliger fra kommunens utleieboliger og private utleiere med startlån." if rng.random() < 0.6 else "",
                )
                self.decided[(m.pk, year)] = places
                self.decided_minors[(m.pk, year)] = minor_places

    # -- households and persons ---------------------------------------------------------------

    def raise_some_current_decisions(self):
        """Some municipalities raised this year's decision in the autumn, so the demo has places to propose."""
        year = self.as_of.year
        for m in self.municipalities:
            places = self.decided.get((m.pk, year))
            if places is not None and self.rng.random() < 0.4:
                extra = max(3, round(places * 0.08))
                minors = self.decided_minors[(m.pk, year)] + (1 if self.decided_minors[(m.pk, year)] else 0)
                MunicipalDecision.objects.filter(municipality=m, year=year).update(places=places + extra, unaccompanied_minors=minors)

    def next_duf(self, year: int) -> str:
        self.duf_seq += 1
        return f"{year}{self.duf_seq:08d}"

    def make_persons(self, composition, category, permit: date):
        rng = self.rng
        nat_weights = (MINOR_NATIONALITIES if composition == Composition.UNACCOMPANIED_MINOR
                       else RESETTLEMENT_NATIONALITIES if category == Category.RESETTLEMENT else NATIONALITY_WEIGHTS)
        nat = _weighted(rng, nat_weights)
        male, female, last_names = NAMES[nat]
        last = rng.choice(last_names)
        people = []

        def person(age_years, sex, is_head):
            birth = permit - timedelta(days=int(age_years * 365.25) + rng.randint(0, 364))
            first = rng.choice(male if sex == "M" else female)
            return {"first_name": first, "last_name": last, "birth_date": birth, "sex": sex, "nationality": nat,
                    "is_head": is_head, "residence_permit_date": permit, "duf_number": self.next_duf(permit.year)}

        if composition == Composition.UNACCOMPANIED_MINOR:
            people.append(person(rng.randint(13, 17), "M" if rng.random() < 0.85 else "F", True))
        elif composition == Composition.SINGLE_ADULT:
            people.append(person(rng.randint(19, 45), "M" if rng.random() < 0.72 else "F", True))
        else:
            people.append(person(rng.randint(24, 45), "M", True))
            people.append(person(rng.randint(20, 42), "F", False))
            if composition == Composition.FAMILY_WITH_CHILDREN:
                for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
                    people.append(person(rng.randint(0, 15), rng.choice("MF"), False))
        return people

    def pick_municipality(self, household, year, size, prefer_region, minors: bool):
        """A municipality with room, weighted by free places, preferring the household's region."""
        candidates = []
        for m in self.municipalities:
            free = self.decided.get((m.pk, year), 0) - self.used[(m.pk, year)]
            if free < size:
                continue
            if minors and self.decided_minors.get((m.pk, year), 0) - self.used_minors[(m.pk, year)] < size:
                continue
            weight = free * (3 if m.region_id == prefer_region else 1)
            if household.tied_municipality_id == m.pk:
                weight *= 20
            candidates.append((m, weight))
        if not candidates:
            return None
        return self.rng.choices([c[0] for c in candidates], weights=[c[1] for c in candidates])[0]

    def create_cases(self):
        rng, as_of = self.rng, self.as_of
        self.used = defaultdict(int)
        self.used_minors = defaultdict(int)
        start = date(self.years[0], 1, 1) - timedelta(days=120)
        kinds = [(c, cat) for c, cat, _ in HOUSEHOLD_KINDS]
        kind_weights = [w for _, _, w in HOUSEHOLD_KINDS]
        plans: list[_Plan] = []
        # Residence permits arrive week by week; volume grows with the need over the years.
        day = start
        while day <= as_of - timedelta(days=3):
            yearly_persons = {self.years[0]: 9500, self.years[1]: 10800, self.years[2]: 11500}.get(day.year, 9000)
            weekly_households = yearly_persons * DEMO_SHARE * self.scale / 52 / 2.1
            count = int(weekly_households) + (1 if rng.random() < weekly_households % 1 else 0)
            for _ in range(count):
                permit = day + timedelta(days=rng.randint(0, 6))
                if permit > as_of:
                    continue
                composition, category = rng.choices(kinds, weights=kind_weights)[0]
                plans.append(self.plan_household(composition, category, permit))
            day += timedelta(days=7)
        # Settle in order of the day the household would be placed: the queue is first come, first served.
        plans.sort(key=lambda p: p.household._target)
        for plan in plans:
            self.place(plan)
        self.save(plans)

    def plan_household(self, composition, category, permit) -> _Plan:
        rng = self.rng
        persons = self.make_persons(composition, category, permit)
        centre = None
        if category not in (Category.RESETTLEMENT, Category.PRIVATE):
            pool = [c for c in self.centres if (c.kind in ("minors", "care_centre")) == (composition == Composition.UNACCOMPANIED_MINOR)]
            centre = rng.choice(pool)
        if composition == Composition.UNACCOMPANIED_MINOR:
            region = self.regions[MINORS_REGION_CODE]
        elif centre is not None:
            region = centre.municipality.region
        else:
            region = rng.choice(list(self.regions.values()))
        tied = rng.choice(self.municipalities) if rng.random() < 0.1 else None
        household = Household(
            category=category, composition=composition, size=len(persons), region=region, reception_centre=centre,
            waiting_since=permit, waiting_target_months=waiting_target_months(composition),
            settlement_ready_on=permit + timedelta(days=rng.randint(5, 40)) if category != Category.RESETTLEMENT else permit,
            special_needs=rng.choice(SPECIAL_NEEDS) if rng.random() < 0.07 else "",
            tied_municipality=tied, ties_note="Slektninger bosatt i kommunen" if tied else "",
        )
        median, sigma = WAIT_MEDIAN[composition]
        if category == Category.RESETTLEMENT:
            median = 2.0  # resettlement refugees are placed straight into a municipality
        months = math.exp(math.log(median) + rng.gauss(0, sigma))
        household._target = permit + timedelta(days=max(14, int(months * 30.4)))
        plan = _Plan(household=household, persons=persons)
        plan.events.append((EventKind.CREATED, _aware(household.settlement_ready_on, 9), None, "", HouseholdStatus.READY, ""))
        return plan

    def place(self, plan: _Plan):
        """Decide where the household stands on the as-of date and write its history."""
        rng, as_of, h = self.rng, self.as_of, plan.household
        target = h._target
        if rng.random() < 0.03 and h.settlement_ready_on + timedelta(days=30) < as_of:
            h.status, h.exit_reason = HouseholdStatus.EXITED, rng.choice([ExitReason.SETTLED_ON_OWN, ExitReason.WITHDRAWN])
            h.exited_on = min(as_of, h.settlement_ready_on + timedelta(days=rng.randint(20, 120)))
            plan.events.append((EventKind.EXITED, _aware(h.exited_on), None, HouseholdStatus.READY, HouseholdStatus.EXITED,
                                h.get_exit_reason_display()))
            return
        days_ahead = (target - as_of).days
        if days_ahead > 75:
            return  # still settlement-ready, not yet proposed
        year = target.year if target <= as_of else as_of.year
        minors = h.composition == Composition.UNACCOMPANIED_MINOR
        municipality = self.pick_municipality(h, year, h.size, h.region_id, minors)
        if municipality is None:
            if year < as_of.year and getattr(h, "_retries", 0) < 8:
                # No room this year: the household waits for next year's places (and grows long-waiting).
                h._retries = getattr(h, "_retries", 0) + 1
                h._target = max(target + timedelta(days=45), date(year + 1, 1, 10))
                return self.place(plan)
            return  # no municipality has room: stays waiting
        proposed_on = max(h.settlement_ready_on, target - timedelta(days=rng.randint(45, 75)))
        if proposed_on > as_of:
            return
        # Some households are first declined by another municipality.
        if rng.random() < 0.15 and proposed_on - timedelta(days=30) > h.settlement_ready_on:
            other = rng.choice(self.municipalities)
            if other.pk != municipality.pk:
                first = proposed_on - timedelta(days=30)
                reason = rng.choice([DeclineReason.HOUSING, DeclineReason.HOUSING, DeclineReason.HEALTH, DeclineReason.COMPOSITION])
                plan.proposals.append((other, first, first + timedelta(days=14), ProposalStatus.DECLINED, reason, first + timedelta(days=10)))
                plan.events.append((EventKind.PROPOSED, _aware(first), other, HouseholdStatus.READY, HouseholdStatus.PROPOSED, ""))
                plan.events.append((EventKind.DECLINED, _aware(first + timedelta(days=10)), other, HouseholdStatus.PROPOSED,
                                    HouseholdStatus.READY, DeclineReason(reason).label))
        deadline = proposed_on + timedelta(days=14)
        accepted_on = proposed_on + timedelta(days=rng.randint(3, 13))
        assigned_on = accepted_on + timedelta(days=rng.randint(5, 20))
        settled_on = max(target, assigned_on + timedelta(days=rng.randint(7, 30)))
        h.municipality, h.settlement_year = municipality, year
        plan.events.append((EventKind.PROPOSED, _aware(proposed_on), municipality, HouseholdStatus.READY, HouseholdStatus.PROPOSED, ""))
        if accepted_on > as_of:
            h.status = HouseholdStatus.PROPOSED
            plan.proposals.append((municipality, proposed_on, deadline, ProposalStatus.PENDING, "", None))
        else:
            plan.proposals.append((municipality, proposed_on, deadline, ProposalStatus.ACCEPTED, "", accepted_on))
            plan.events.append((EventKind.ACCEPTED, _aware(accepted_on), municipality, HouseholdStatus.PROPOSED, HouseholdStatus.ACCEPTED, ""))
            h.status = HouseholdStatus.ACCEPTED
            if assigned_on <= as_of:
                h.status, h.assigned_on = HouseholdStatus.ASSIGNED, assigned_on
                plan.events.append((EventKind.ASSIGNED, _aware(assigned_on), municipality, HouseholdStatus.ACCEPTED, HouseholdStatus.ASSIGNED, ""))
                if settled_on <= as_of:
                    h.status, h.settled_on = HouseholdStatus.SETTLED, settled_on
                    for p in plan.persons:
                        p["settled_on"] = settled_on
                    plan.events.append((EventKind.SETTLED, _aware(settled_on), municipality, HouseholdStatus.ASSIGNED, HouseholdStatus.SETTLED, ""))
        self.used[(municipality.pk, year)] += h.size
        if minors:
            self.used_minors[(municipality.pk, year)] += h.size

    def save(self, plans: list[_Plan]):
        households = [p.household for p in plans]
        Household.objects.bulk_create(households, batch_size=1000)
        Person.objects.bulk_create(
            [Person(household=p.household, **data) for p in plans for data in p.persons], batch_size=2000
        )
        # One distribution list per municipality and week in which households were proposed to it.
        lists = {}
        for plan in plans:
            for municipality, on, deadline, *_ in plan.proposals:
                key = (municipality.pk, on.isocalendar()[:2])
                if key not in lists:
                    year = plan.household.settlement_year or on.year
                    lists[key] = DistributionList(municipality=municipality, region=plan.household.region, year=year,
                                                  reply_deadline=deadline)
                    lists[key]._created = _aware(on, 8)
        DistributionList.objects.bulk_create(list(lists.values()), batch_size=1000)
        # auto_now_add ignores values given at creation: set the historical send dates afterwards.
        for dl in lists.values():
            dl.created_at = dl._created
        DistributionList.objects.bulk_update(list(lists.values()), ["created_at"], batch_size=1000)
        proposals, events = [], []
        for plan in plans:
            h = plan.household
            for municipality, on, deadline, status, reason, responded in plan.proposals:
                proposals.append(Proposal(
                    distribution_list=lists[(municipality.pk, on.isocalendar()[:2])], household=h, municipality=municipality,
                    persons=h.size, status=status, decline_reason=reason,
                    responded_at=_aware(responded, 14) if responded else None,
                ))
            for kind, at, municipality, from_status, to_status, note in plan.events:
                events.append(HouseholdEvent(household=h, kind=kind, at=at, municipality=municipality,
                                             from_status=from_status, to_status=to_status, note=note))
        Proposal.objects.bulk_create(proposals, batch_size=2000)
        HouseholdEvent.objects.bulk_create(events, batch_size=5000)


def demo_data_exists() -> bool:
    return Household.objects.exists()


@transaction.atomic
def seed_demo(as_of: date | None = None, scale: float = 1.0, seed: int = 2014) -> DemoBuilder:
    builder = DemoBuilder(as_of or timezone.localdate(), scale=scale, seed=seed)
    builder.build()
    return builder


@transaction.atomic
def clear_demo():
    from agreements.models import PartnershipAgreement, ReminderLog
    from grants.models import GrantApplication, GrantClaim, PaymentBatch
    from reporting.models import ReportSnapshot

    ReportSnapshot.objects.all().delete()
    GrantApplication.objects.all().delete()
    GrantClaim.objects.all().delete()
    PaymentBatch.objects.all().delete()
    PartnershipAgreement.objects.all().delete()
    ReminderLog.objects.all().delete()
    HouseholdEvent.objects.all().delete()
    Proposal.objects.all().delete()
    DistributionList.objects.all().delete()
    Person.objects.all().delete()
    Household.objects.all().delete()
    MunicipalDecision.objects.all().delete()
    RequestedPlaces.objects.all().delete()
    SettlementRequest.objects.all().delete()
    NationalNeed.objects.all().delete()
    for model in (Household, Person, Proposal, DistributionList, MunicipalDecision, RequestedPlaces, SettlementRequest, NationalNeed):
        model.history.all().delete()
