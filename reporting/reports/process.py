"""Process indicators for IMDi's own work (prosessindikatorer), which the evaluation asks for beside the goals
that IMDi only partly controls (lines 7072-7074: measure what IMDi's effort itself achieves; 7157-7175 and
8065-8072: steering parameters closer to IMDi's own work, for internal steering).

All are read from the household timeline (settlement.HouseholdEvent), per IMDi region office (the household's
region), with the regions side by side and the whole country last. A step counts in the period its end event
falls in, measured from the latest start event before it:
- settlement-ready -> first proposal (the household's settlement-ready date to its first "proposed" event);
- proposal -> the municipality's answer ("accepted" or "declined");
- acceptance -> assignment ("assigned", søkt ut);
- assignment -> settlement ("settled").
Decline rate: declined answers of all answers in the period. Decline reasons: the reason the decline recorded
(the event's note begins with the reason's label).
"""

from collections import defaultdict
from statistics import mean, median

from django.db.models import Q
from django.utils import timezone

from core.models import Region
from settlement.models import DeclineReason, EventKind, HouseholdEvent

STEPS = [
    ("ready_to_proposal", "Bosettingsklar til første forslag", None, EventKind.PROPOSED),
    ("proposal_to_answer", "Forslag til kommunens svar", EventKind.PROPOSED, (EventKind.ACCEPTED, EventKind.DECLINED)),
    ("accepted_to_assigned", "Akseptert til søkt ut", EventKind.ACCEPTED, EventKind.ASSIGNED),
    ("assigned_to_settled", "Søkt ut til bosatt", EventKind.ASSIGNED, EventKind.SETTLED),
]
KINDS = (EventKind.PROPOSED, EventKind.ACCEPTED, EventKind.DECLINED, EventKind.ASSIGNED, EventKind.SETTLED)
NATION = "Hele landet"


def _reason_of(note: str) -> str:
    for reason in DeclineReason:
        if note.startswith(str(reason.label)):
            return reason.value
    return DeclineReason.OTHER


class _Tally:
    def __init__(self):
        self.days = defaultdict(list)  # step -> [days]
        self.answers = 0
        self.declined = 0
        self.reasons = defaultdict(int)


def _walk(events: list, ready_on, start, end, tallies):
    """One household's timeline in order: each step whose end event lies in [start, end] adds its duration."""
    last = {}
    proposed_before = False
    for kind, day, note in events:
        in_period = start <= day <= end
        if kind == EventKind.PROPOSED:
            if not proposed_before and in_period:
                for t in tallies:
                    t.days["ready_to_proposal"].append((day - ready_on).days)
            proposed_before = True
        for key, _, begin, finish in STEPS[1:]:
            if kind in (finish if isinstance(finish, tuple) else (finish,)) and in_period and begin in last:
                for t in tallies:
                    t.days[key].append((day - last[begin]).days)
        if kind in (EventKind.ACCEPTED, EventKind.DECLINED) and in_period:
            for t in tallies:
                t.answers += 1
                if kind == EventKind.DECLINED:
                    t.declined += 1
                    t.reasons[_reason_of(note)] += 1
        last[kind] = day


def _stats(days: list) -> dict:
    return {"n": len(days), "average_days": round(mean(days), 1) if days else None,
            "median_days": float(median(days)) if days else None}


def process_indicators(start, end, regions=None) -> dict:
    """Process indicators for [start, end] per region and nationally: one query (two without `regions`)."""
    in_period = HouseholdEvent.objects.filter(kind__in=KINDS, at__date__gte=start, at__date__lte=end).values("household_id")
    rows = (HouseholdEvent.objects.filter(Q(kind__in=KINDS), at__date__lte=end, household_id__in=in_period)
            .order_by("household_id", "at", "id")
            .values_list("household_id", "household__region_id", "household__settlement_ready_on", "kind", "at", "note"))
    regions = sorted(regions, key=lambda r: r.name) if regions is not None else list(Region.objects.order_by("name"))
    tallies = {r.pk: _Tally() for r in regions}
    nation = _Tally()
    timelines = defaultdict(list)
    meta = {}
    for household, region, ready_on, kind, at, note in rows:
        timelines[household].append((kind, timezone.localdate(at), note))
        meta[household] = (region, ready_on)
    for household, events in timelines.items():
        region, ready_on = meta[household]
        _walk(events, ready_on, start, end, [t for t in (tallies.get(region), nation) if t])
    columns = [(r.name, tallies[r.pk]) for r in regions] + [(NATION, nation)]
    step_rows = [{"key": key, "label": label, "unit": "dager",
                  "values": [_stats(t.days[key]) for _, t in columns]} for key, label, _, _ in STEPS]
    return {
        "columns": [name for name, _ in columns],
        "steps": step_rows,
        "answers": [t.answers for _, t in columns],
        "declined": [t.declined for _, t in columns],
        "decline_rate": [round(100.0 * t.declined / t.answers, 1) if t.answers else None for _, t in columns],
        "reasons": [{"key": r.value, "label": str(r.label), "values": [t.reasons.get(r.value, 0) for _, t in columns]}
                    for r in DeclineReason],
    }
