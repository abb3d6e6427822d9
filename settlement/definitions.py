"""One definition per concept (begrepsdefinisjoner). Every report, page, export, API and the matching engine
counts with these, and nothing else computes them:

- "more than N months" (the boundary, stated once): `later` is more than N months after `earlier` when
  `later > earlier + relativedelta(months=N)` (calendar months; a month end is clamped, so 31 August + 6 months
  is 28/29 February). A permit on 30 April is therefore long-waiting (6 months) from 31 October, and a person
  settled on 30 October was settled within 6 months. The database side uses `months_key`, which agrees with that
  rule on every pair of dates (32 × whole months + difference of days of the month; see `months_key`);
- within N months: settled no more than N months after the residence permit (the complement of the above);
- child: under 18 on the day of the residence permit (the day the wait starts);
- waiting at a date: the household was settlement-ready by then, the person was not settled by then and the
  household had not left the flow by then;
- long-waiting at a date (lengeventende), per person (footnote 17, line 2592 of the evaluation): waiting, and
  more than 6 months since the residence permit for adults, 3 months for children;
- settled in a period: the person's settlement date (bosettingsdato) falls in it, whatever happened later;
- a household's placement (municipality, year of the places, assignment date) is the current one, or the last
  one before it left the flow: a household leaving later does not change the past;
- used places of a municipality in a year: persons settled on that year's places plus persons assigned (søkt
  ut) to them and not yet settled; a person settled in January on last year's places uses last year's places;
- the decision in force at a date: of its versions decided by then, the latest decision date (`decisions_at`);
- remaining places (ledig): places decided minus those proposed, accepted, assigned or settled;
- a minor's age group (`age_group`): under 15, or 15-18 (15, 16 or 17), by age at a date; an unaccompanied minor's
  group is fixed by the age on the day of the residence permit, when responsibility for settlement starts (lines
  3985-3999): under 15 Bufetat settles in dialogue with IMDi, 15-18 IMDi (`bufetat_minors_q`, `is_bufetat_minor`).
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Case, Count, DateField, Exists, F, Func, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce, ExtractDay, ExtractMonth, ExtractYear, Greatest, Least
from django.db.models.lookups import GreaterThan
from django.utils import timezone

from .models import Composition, Household, HouseholdStatus, MunicipalDecision, Person, RequestedPlaces

CHILD_AGE = 18
LONG_WAITING_MONTHS_ADULT = 6  # footnote 17, line 2592
LONG_WAITING_MONTHS_CHILD = 3
KEY_PER_MONTH = 32  # more than the 31 days a month can differ by, so months and days never mix


# -- the month boundary, in Python and in SQL ---------------------------------------------------------------------

def months_key(later: date, earlier: date) -> int:
    """32 × whole calendar months between the two dates + the difference of their days of the month.

    `months_key(later, earlier) > 32 * N` exactly when `later > earlier + relativedelta(months=N)`: in the month N
    months on, the later date is past the clamped anniversary exactly when its day is past the earlier day."""
    months = (later.year * 12 + later.month) - (earlier.year * 12 + earlier.month)
    return KEY_PER_MONTH * months + later.day - earlier.day


def more_than_months(later: date, earlier: date, months: int) -> bool:
    return months_key(later, earlier) > KEY_PER_MONTH * months


def within_months(settled_on: date, permit: date, months: int) -> bool:
    return not more_than_months(settled_on, permit, months)


class DatePart(Func):
    """The integer year, month or day of a date column, for the keys below: date_part(...)::int on PostgreSQL
    (EXTRACT is numeric there, slow to compute and group by), strftime on SQLite (ExtractYear calls Python per row)."""

    output_field = IntegerField()
    arity = 1
    FORMATS = {"year": "%%Y", "month": "%%m", "day": "%%d"}

    def __init__(self, expression, part: str):
        super().__init__(expression)
        self.part = part

    def as_sql(self, compiler, connection, **extra):
        kind = {"year": ExtractYear, "month": ExtractMonth, "day": ExtractDay}[self.part]
        return compiler.compile(kind(*self.source_expressions))

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"date_part('{self.part}', {sql})::int", params

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST(strftime('{self.FORMATS[self.part]}', {sql}) AS INTEGER)", params


def _ymd(value):
    if isinstance(value, date):
        return Value(value.year), Value(value.month), Value(value.day)
    return DatePart(value, "year"), DatePart(value, "month"), DatePart(value, "day")


def months_key_expr(later, earlier):
    """`months_key` as a database expression; each side a field name or a date (integer arithmetic)."""
    (ly, lm, ld), (ey, em, ed) = _ymd(later), _ymd(earlier)
    return ((ly * 12 + lm) - (ey * 12 + em)) * KEY_PER_MONTH + ld - ed


def months_waited(later: date, earlier: date) -> int:
    """Whole calendar months from `earlier` to `later`, counting a started month (0 for the same day or before):
    within N months (`within_months`) exactly when months_waited <= N, as `months_key` <= 32 × N is
    ceil(months_key / 32) <= N. One small integer per person, by which a count within any N months is a sum."""
    return max(0, -(-months_key(later, earlier) // KEY_PER_MONTH))


def months_waited_expr(later, earlier):
    """`months_waited` as a database expression (integer division truncates, and the key + 31 is not negative
    where it matters: a key under -31 is clamped to 0 like every key up to 0)."""
    return Greatest((months_key_expr(later, earlier) + Value(KEY_PER_MONTH - 1)) / Value(KEY_PER_MONTH), Value(0))


def month_number_expr(field):
    """year × 12 + month of a date column: a date is on or before the end of month number M exactly when its
    month number is at most M (the queue keys below)."""
    y, m, _ = _ymd(field)
    return y * 12 + m


def is_child_at(birth_date: date, on: date) -> bool:
    """Under 18 on a date: the 18th birthday (29 February: 1 March in a common year) is after it."""
    return (birth_date.year + CHILD_AGE, birth_date.month, birth_date.day) > (on.year, on.month, on.day)


# -- minors' age groups (lines 3985-3999: UDI/IMDi for 15-18, Bufetat for under 15; appendix 2, line 8280) ---------

BUFETAT_AGE = 15
UNDER_15, AGE_15_18 = "under_15", "15_18"
AGE_GROUPS = {UNDER_15: "Under 15 år", AGE_15_18: "15–18 år"}


def age_on(birth_date: date, on: date) -> int:
    """Whole years on a date (a 29 February birthday is reached on 1 March in a common year, as `is_child_at`)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def age_group(birth_date: date, on: date) -> str | None:
    """A minor's age group on a date: UNDER_15, AGE_15_18 (15, 16 or 17), or None for an adult (18 or more)."""
    if not is_child_at(birth_date, on):
        return None
    return AGE_15_18 if age_on(birth_date, on) >= BUFETAT_AGE else UNDER_15


def age_group_q(group: str, prefix: str = "") -> Q:
    """Persons in an age group on the day of their residence permit, as a filter on Person (or `prefix` to it)."""
    if group == UNDER_15:
        return child_at_permit_q(prefix, age=BUFETAT_AGE)
    if group == AGE_15_18:
        return child_at_permit_q(prefix) & ~child_at_permit_q(prefix, age=BUFETAT_AGE)
    raise KeyError(group)


def bufetat_minors_q(prefix: str = "") -> Q:
    """Households of unaccompanied minors who were all under 15 on their residence permit day: the group Bufetat
    settles in dialogue with IMDi (lines 3994-3999), as a filter on Household (or on a model reaching it by `prefix`)."""
    older = Person.objects.filter(household=OuterRef(f"{prefix}pk" if prefix else "pk")).exclude(age_group_q(UNDER_15))
    return Q(**{f"{prefix}composition": Composition.UNACCOMPANIED_MINOR}) & ~Q(Exists(older))


def is_bufetat_minor(household) -> bool:
    """The row-by-row twin of `bufetat_minors_q`."""
    persons = list(household.persons.all())
    return (household.composition == Composition.UNACCOMPANIED_MINOR
            and all(age_group(p.birth_date, p.residence_permit_date) == UNDER_15 for p in persons))


def _date_number(field, years=0):
    y, m, d = _ymd(field)
    return (y + years) * 10000 + m * 100 + d


def child_at_permit_q(prefix: str = "", age: int = CHILD_AGE) -> Q:
    """Persons under `age` (18) on the day of their residence permit, as a filter on Person (or `prefix` to it)."""
    return Q(GreaterThan(_date_number(f"{prefix}birth_date", age), _date_number(f"{prefix}residence_permit_date")))


def long_waiting_months(birth_date: date, permit: date) -> int:
    return LONG_WAITING_MONTHS_CHILD if is_child_at(birth_date, permit) else LONG_WAITING_MONTHS_ADULT


def long_waiting_cutoff(on: date, months: int) -> date:
    """The latest residence permit that is more than `months` months before `on` (the count query's bound)."""
    cutoff = on - relativedelta(months=months)
    while not more_than_months(on, cutoff, months):
        cutoff -= timedelta(days=1)
    while more_than_months(on, cutoff + timedelta(days=1), months):
        cutoff += timedelta(days=1)
    return cutoff


# -- persons: waiting, long-waiting, settled -----------------------------------------------------------------------

def waiting_q(on: date, prefix: str = "") -> Q:
    """Persons waiting at the end of a day (a filter on Person, or on a model reaching Person by `prefix`)."""
    p = prefix
    return (Q(**{f"{p}household__settlement_ready_on__lte": on})
            & (Q(**{f"{p}settled_on__isnull": True}) | Q(**{f"{p}settled_on__gt": on}))
            & (Q(**{f"{p}household__exited_on__isnull": True}) | Q(**{f"{p}household__exited_on__gt": on})))


def long_waiting_person_q(on: date, prefix: str = "") -> Q:
    """Persons long-waiting at the end of a day: footnote 17 (line 2592), per person."""
    p = prefix
    child = child_at_permit_q(p)
    return waiting_q(on, p) & (
        (child & Q(**{f"{p}residence_permit_date__lte": long_waiting_cutoff(on, LONG_WAITING_MONTHS_CHILD)}))
        | (~child & Q(**{f"{p}residence_permit_date__lte": long_waiting_cutoff(on, LONG_WAITING_MONTHS_ADULT)})))


def long_waiting_q(today: date) -> Q:
    """Households with at least one long-waiting member (a filter on Household). Count persons with
    `long_waiting_person_q`, not household sizes: in a family only the children may be past their 3 months."""
    return Q(Exists(Person.objects.filter(long_waiting_person_q(today), household=OuterRef("pk"))))


def waiting_persons(on: date):
    return Person.objects.filter(waiting_q(on))


def long_waiting_persons(on: date):
    return Person.objects.filter(long_waiting_person_q(on))


# -- waiting and long-waiting at a run of month ends, from one grouped scan (the monthly report's queue trend) ------

def _month_end(year: int, month: int) -> date:
    return date(year, month, 1) + relativedelta(months=1) - timedelta(days=1)


def month_ends(first_end: date, months: int) -> list[date]:
    return [_month_end(first_end.year + (first_end.month - 1 + i) // 12, (first_end.month - 1 + i) % 12 + 1)
            for i in range(months)]


def queue_keys(first_end: date, months: int, prefix: str = "") -> dict:
    """`waiting_q` and `long_waiting_person_q` at each of `months` month ends from `first_end` (index 0, 1, ...),
    re-expressed as four small integer keys per person, so that one grouped scan gives the whole run
    (`queue_at_month_ends` reads them; reporting/tests/test_queue_keys.py holds them to the two definitions):

    - `q_ready`: the first index by whose end the household was settlement-ready (0 if before);
    - `q_left`: the first index by whose end the person was settled or the household had left (`months`: none);
    - `q_long`, `q_day`: long-waiting at end i exactly when i > q_long, or i == q_long and the month's last day
      is past q_day: `months_key(end, permit) > 32 × limit` (6 months, 3 for a child) is
      32 × (i − q_long) + last day − day of the permit > 0, and the days differ by less than 32 (q_day: the
      permit's day, or 27 for any day before the 28th, which every month's last day is past).
    """
    p, base = prefix, first_end.year * 12 + first_end.month
    hp = f"{p}household__"

    def index(field):
        return Coalesce(month_number_expr(field) - base, Value(months))

    limit = Case(When(child_at_permit_q(p), then=Value(LONG_WAITING_MONTHS_CHILD)), default=Value(LONG_WAITING_MONTHS_ADULT))
    day = DatePart(f"{p}residence_permit_date", "day")
    return {
        "q_ready": Greatest(month_number_expr(f"{hp}settlement_ready_on") - base, Value(0)),
        "q_left": Greatest(Least(index(f"{p}settled_on"), index(f"{hp}exited_on"), Value(months)), Value(0)),
        "q_long": Greatest(Least(month_number_expr(f"{p}residence_permit_date") + limit - base, Value(months)), Value(-1)),
        "q_day": Case(When(GreaterThan(day, 27), then=day), default=Value(27)),
    }


def queue_population_q(first_end: date, last_end: date, prefix: str = "") -> Q:
    """Every person who can be waiting at a month end from `first_end` to `last_end` (a superset; the keys decide)."""
    p = prefix
    return (Q(**{f"{p}household__settlement_ready_on__lte": last_end})
            & (Q(**{f"{p}settled_on__isnull": True}) | Q(**{f"{p}settled_on__gt": first_end}))
            & (Q(**{f"{p}household__exited_on__isnull": True}) | Q(**{f"{p}household__exited_on__gt": first_end})))


def queue_at_month_ends(rows, first_end: date, months: int) -> list[tuple[int, int]]:
    """(waiting, long-waiting) persons at each month end, from rows of (q_ready, q_left, q_long, q_day, persons)."""
    ends = month_ends(first_end, months)
    out = [[0, 0] for _ in ends]
    for ready, left, long_from, day, n in rows:
        for i in range(ready, min(left, months)):
            out[i][0] += n
            if i > long_from or (i == long_from and ends[i].day > day):
                out[i][1] += n
    return [tuple(x) for x in out]


def settled_q(start: date | None, end: date, prefix: str = "") -> Q:
    """Persons settled between two dates (inclusive) by their own settlement date (bosettingsdato). A member
    settled stays settled when the rest of the household later leaves the flow."""
    q = Q(**{f"{prefix}settled_on__lte": end})
    return q & Q(**{f"{prefix}settled_on__gte": start}) if start else q


# -- placement: where and on which year's places a household is, unchanged by a later exit -------------------------

def _before_exit(field: str, output_field):
    # A plain CASE on the joined household (no history subquery), so that the reports' scans can run in parallel.
    return Case(When(household__status=HouseholdStatus.EXITED, then=F(f"household__{field}_before_exit")),
                default=F(f"household__{field}"), output_field=output_field)


def placement(persons):
    """Annotate Person rows with `placed_municipality`, `places_year` and `placed_assigned_on`: the household's
    current ones, or for a household that left the flow the ones it had when it left (kept by exit_household)."""
    return persons.annotate(placed_municipality=_before_exit("municipality", IntegerField()),
                            places_year=_before_exit("settlement_year", IntegerField()),
                            placed_assigned_on=_before_exit("assigned_on", DateField()))


def used_q(on: date) -> Q:
    """Placed persons using a place at the end of a day: settled by then, or assigned by then and still in the
    flow (annotate with `placement` first)."""
    return Q(settled_on__lte=on) | (Q(placed_assigned_on__lte=on) & waiting_q(on))


def used_places(municipality_ids, year: int, on: date) -> dict[int, dict]:
    """Per municipality, persons on the year's places at the end of a day: {"settled", "assigned"} (one query)."""
    municipality_ids = list(municipality_ids)
    # Implied by the placement filter below, but on the household's columns directly so that an index serves it (a
    # scan of every person took 0.1-0.2 s a page at scale 5).
    candidates = Person.objects.filter(Q(household__municipality_id__in=municipality_ids, household__settlement_year=year)
                                       | Q(household__status=HouseholdStatus.EXITED,
                                           household__municipality_before_exit_id__in=municipality_ids,
                                           household__settlement_year_before_exit=year))
    rows = (placement(candidates).filter(places_year=year, placed_municipality__in=municipality_ids)
            .filter(used_q(on)).values("placed_municipality")
            .annotate(settled=Count("id", filter=Q(settled_on__lte=on)),
                      assigned=Count("id", filter=Q(settled_on__isnull=True) | Q(settled_on__gt=on))))
    return {r["placed_municipality"]: {"settled": r["settled"], "assigned": r["assigned"]} for r in rows}


# -- decisions as they stood at a date ------------------------------------------------------------------------------

def decisions_at(year: int, on: date, municipality_ids=None) -> dict[int, tuple[int, int]]:
    """The decision in force for each municipality at the end of a day, {id: (places, minors)}: of every version
    (the decision's history and the current row) decided by then, the one with the latest decision date, and of
    versions with the same date the last written. A decision changed later, with a later date, leaves a past
    month as it was; a correction of the same decision replaces it (two queries)."""
    current = MunicipalDecision.objects.filter(year=year, decided_on__lte=on)
    history = MunicipalDecision.history.filter(year=year, decided_on__lte=on).exclude(history_type="-")
    if municipality_ids is not None:
        ids = list(municipality_ids)
        current, history = current.filter(municipality_id__in=ids), history.filter(municipality_id__in=ids)
    versions = {}
    for mid, decided_on, places, minors in history.order_by("history_date", "history_id").values_list(
            "municipality_id", "decided_on", "places", "unaccompanied_minors"):
        if mid not in versions or decided_on >= versions[mid][0]:
            versions[mid] = (decided_on, places, minors)
    for mid, decided_on, places, minors in current.values_list("municipality_id", "decided_on", "places", "unaccompanied_minors"):
        if mid not in versions or decided_on >= versions[mid][0]:
            versions[mid] = (decided_on, places, minors)
    return {mid: (places, minors) for mid, (_, places, minors) in versions.items()}


def requested_at(year: int, on: date) -> dict[int, int]:
    """The places requested of each municipality for a year as they stood at the end of a day, {id: persons}:
    requests sent by then, each with the numbers of its last version written by then (an adjustment made later
    leaves a past month as it was; a row with no earlier version is read as it is). Two queries."""
    current = dict(RequestedPlaces.objects.filter(year=year, request__sent_on__lte=on)
                   .values_list("municipality_id", "persons"))
    end = timezone.make_aware(datetime.combine(on + timedelta(days=1), time.min))
    versions = {}
    for mid, persons in (RequestedPlaces.history.filter(year=year, municipality_id__in=list(current), history_date__lt=end)
                         .exclude(history_type="-").order_by("history_date", "history_id")
                         .values_list("municipality_id", "persons")):
        versions[mid] = persons
    return {mid: versions.get(mid, persons) for mid, persons in current.items()}


# -- capacity (kapasitet) ---------------------------------------------------------------------------------------------

@dataclass
class Capacity:
    """A municipality's places in a year (kapasitet), in persons."""

    municipality_id: int
    year: int
    decided: int = 0
    decided_minors: int = 0
    proposed: int = 0
    accepted: int = 0
    assigned: int = 0
    settled: int = 0
    minors_in_flow: int = 0  # unaccompanied minors proposed, accepted, assigned or settled
    has_decision: bool = False

    @property
    def used(self) -> int:
        """Places used (plassbruk): settled on the year's places plus assigned to them."""
        return self.assigned + self.settled

    @property
    def remaining(self) -> int:
        """Ledig: the one "free places" figure every page shows, decided minus proposed, accepted, assigned
        and settled (a place held by a proposal is not free for another)."""
        return self.decided - self.proposed - self.accepted - self.used

    @property
    def available_to_propose(self) -> int:
        return self.remaining

    @property
    def available_to_accept(self) -> int:
        """Accepting a proposed household moves it from proposed to accepted: its own places are already held."""
        return self.remaining + self.proposed

    @property
    def minors_remaining(self) -> int:
        return self.decided_minors - self.minors_in_flow


def capacities(municipality_ids, year: int, on: date | None = None) -> dict[int, Capacity]:
    """Capacity for many municipalities in a fixed number of queries, however many there are. Settled and
    assigned are `used_places` at `on` (default today); proposed and accepted are the current flow."""
    on = on or timezone.localdate()
    ids = list(municipality_ids)
    result = {mid: Capacity(municipality_id=mid, year=year) for mid in ids}
    for d in MunicipalDecision.objects.filter(municipality_id__in=ids, year=year).values(
            "municipality_id", "places", "unaccompanied_minors"):
        cap = result[d["municipality_id"]]
        cap.decided, cap.decided_minors, cap.has_decision = d["places"], d["unaccompanied_minors"], True
    for mid, used in used_places(ids, year, on).items():
        result[mid].settled, result[mid].assigned = used["settled"], used["assigned"]
    flow = (Person.objects.filter(household__municipality_id__in=ids, household__settlement_year=year)
            .values("household__municipality_id")
            .annotate(proposed=Count("id", filter=Q(household__status=HouseholdStatus.PROPOSED)),
                      accepted=Count("id", filter=Q(household__status=HouseholdStatus.ACCEPTED)),
                      minors=Count("id", filter=Q(household__composition=Composition.UNACCOMPANIED_MINOR)
                                   & ~Q(household__status=HouseholdStatus.EXITED))))
    for row in flow:
        cap = result[row["household__municipality_id"]]
        cap.proposed, cap.accepted, cap.minors_in_flow = row["proposed"], row["accepted"], row["minors"]
    return result


def capacity(municipality_id: int, year: int, on: date | None = None) -> Capacity:
    return capacities([municipality_id], year, on)[municipality_id]
