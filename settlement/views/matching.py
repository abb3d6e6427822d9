"""Utsøking: the matching engine's proposal, edited by the caseworker before the lists are sent."""

from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from core.models import Municipality, Region
from core.params import year_param
from core.roles import RoleRequiredMixin

from .. import selectors, services


class MatchingView(RoleRequiredMixin, View):
    """Utsøking: the engine proposes distribution lists; the caseworker edits them before they are sent."""

    permission = "settlement.propose"
    max_households = 400

    def params(self, data):
        region = data.get("region", "")
        return year_param(data), int(region) if region.isdigit() else None

    def build_rows(self, year, region, chosen=None):
        from .. import matching

        households, slots = matching.load_problem(self.actor, year, region, limit=self.max_households)
        if chosen is None:
            result = matching.solve(households, slots, time_limit=20)
        else:
            # Showing the caseworker's own edits again needs the candidate municipalities, not a new solve.
            candidates = matching.candidate_lists(households, slots, matching.CANDIDATES_PER_HOUSEHOLD)
            result = matching.MatchResult(
                {hid: mid for hid, mid in chosen.items() if mid}, 0.0, "edited", 0.0, "Ditt redigerte forslag.",
                candidates={hid: [m.municipality_id for _, m in options] for hid, options in candidates.items()})
        names = dict(Municipality.objects.values_list("id", "name"))
        slot_by_id = {s.municipality_id: s for s in slots}
        objects = {h.pk: h for h in selectors.work_queue(self.actor).select_related("tied_municipality")
                   .filter(pk__in=[h.household_id for h in households])}
        rows = []
        for need in households:
            options = [(mid, names[mid], slot_by_id[mid].capacity) for mid in result.candidates.get(need.household_id, [])[:8]]
            picked = result.assignments.get(need.household_id)
            if picked and picked not in {o[0] for o in options}:
                options.insert(0, (picked, names.get(picked, "?"), slot_by_id[picked].capacity if picked in slot_by_id else 0))
            rows.append({"household": objects[need.household_id], "need": need, "municipality_id": picked, "options": options})
        return result, rows

    def render_page(self, request, year, region, result, rows, errors=(), status=200):
        placed = [r for r in rows if r["municipality_id"]]
        return render(request, "settlement/matching.html", {
            "year": year, "region": region, "regions": Region.objects.all(), "result": result, "rows": rows, "errors": errors,
            "placed_households": len(placed), "placed_persons": sum(r["need"].size for r in placed),
            "reply_deadline": (timezone.localdate() + timedelta(days=14)).isoformat(),
        }, status=status)

    def get(self, request):
        year, region = self.params(request.GET)
        result, rows = self.build_rows(year, region)
        return self.render_page(request, year, region, result, rows)

    def post(self, request):
        year, region = self.params(request.POST)
        chosen = {}
        for key, value in request.POST.items():
            if key.startswith("m_") and key[2:].isdigit():
                chosen[int(key[2:])] = int(value) if value.isdigit() else None
        try:
            deadline = date.fromisoformat(request.POST.get("reply_deadline", ""))
        except ValueError:
            deadline = None
        groups = defaultdict(list)
        for hid, mid in chosen.items():
            if mid:
                groups[mid].append(hid)
        errors, sent = [], []
        if deadline is None:
            errors.append("Oppgi en gyldig svarfrist.")
        else:
            municipalities = Municipality.objects.in_bulk(list(groups))
            for mid, hids in sorted(groups.items()):
                try:
                    sent.append(services.propose_households(self.actor, municipality=municipalities[mid], household_ids=hids,
                                                            reply_deadline=deadline, year=year))
                except ValidationError as exc:
                    errors.append(f"{municipalities[mid].name}: {' '.join(exc.messages)}")
        if sent:
            messages.success(request, f"Sendt {len(sent)} fordelingslister med {sum(len(groups[d.municipality_id]) for d in sent)} husstander.")
        if not errors:
            return redirect("settlement:distribution_lists")
        sent_ids = {hid for d in sent for hid in groups[d.municipality_id]}
        result, rows = self.build_rows(year, region, chosen={h: m for h, m in chosen.items() if h not in sent_ids})
        return self.render_page(request, year, region, result, rows, errors=errors, status=400)
