"""Utsøking: the matching engine's proposal, edited by the caseworker, confirmed, then sent as distribution lists."""

from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views import View

from core.formatting import count_noun, number
from core.models import Municipality, Region
from core.params import MAX_ID, id_param, year_param
from core.roles import RoleRequiredMixin

from .. import matching, selectors, services
from ..models import MatchingRun


def matching_rows(rows) -> str:
    """The page's rows, up to 1,000 households with a picker each, written in one pass: the template's loop (a URL
    reversed, filters, a picker) took a quarter of a second at demo scale 5 (issue 14). Values escaped by
    format_html; the options were written once per municipality (build_rows)."""
    link = reverse("settlement:household", args=[0])[:-2]  # "/bosetting/husstander/": the number goes after it
    out = []
    for r in rows:
        h = r["household"]
        out.append(format_html(
            '<tr><td><a href="{}{}/">#{}</a></td><td class="num">{}</td><td>{}</td>\n'
            '        <td class="num">{}</td><td>{}</td><td>{}</td>\n'
            '        <td><label for="m_{}" class="visually-hidden">Kommune for husstand #{}</label>\n'
            '          <select id="m_{}" name="m_{}" data-size="{}"><option value="">— ikke foreslå —</option>\n'
            '          {}\n        </select></td></tr>\n',
            link, h.pk, h.pk, h.size, h.get_composition_display(), number(r["need"].waiting_days),
            h.tied_municipality.name if h.tied_municipality else "", Truncator(h.special_needs).chars(30),
            h.pk, h.pk, h.pk, h.pk, h.size, r["options"]))
    return mark_safe("".join(out))


class MatchingView(RoleRequiredMixin, View):
    """Utsøking: the engine proposes when asked (a Celery job with progress for a large batch) and the last proposal
    stays until the next; the caseworker edits, confirms a summary and sends."""

    permission = "settlement.propose"
    max_households = matching.BATCH_HOUSEHOLDS
    inline_households = matching.INLINE_HOUSEHOLDS

    def params(self, data):
        return year_param(data), id_param(data, "region")

    def runs(self, year, region):
        """The latest computation asked for (still running or not) and the last finished one, for this user."""
        runs = MatchingRun.objects.filter(requested_by=self.actor.user, year=year, region_id=region)
        latest = runs.defer("assignments").first()
        if latest is not None and latest.status == MatchingRun.Status.DONE:
            return latest, runs.filter(pk=latest.pk).first()
        return latest, runs.filter(status=MatchingRun.Status.DONE).first()

    def build_rows(self, year, region, chosen=None, result=None):
        """Rows for the page. `result` is a fresh solve; `chosen` the caseworker's (or the stored) picks."""
        households, slots = matching.load_problem(self.actor, year, region, limit=self.max_households)
        if result is None:
            # Showing picks again needs the candidate municipalities, not a new solve.
            candidates = matching.candidate_lists(households, slots, matching.CANDIDATES_PER_HOUSEHOLD)
            result = matching.MatchResult(
                {hid: mid for hid, mid in (chosen or {}).items() if mid}, 0.0, "edited" if chosen else "none", 0.0,
                "Ditt redigerte forslag." if chosen else "Ikke beregnet ennå.",
                candidates={hid: [m.municipality_id for _, m in options] for hid, options in candidates.items()})
        names = dict(Municipality.objects.values_list("id", "name"))
        slot_by_id = {s.municipality_id: s for s in slots}
        # The queue's scope, with only what a row shows (no members or interviews: 1,000 households' took 0.2 s).
        objects = {h.pk: h for h in selectors.work_queue(self.actor).select_related(None).select_related("tied_municipality")
                   .prefetch_related(None).filter(pk__in=[h.household_id for h in households])}
        used = defaultdict(int)
        for need in households:
            if result.assignments.get(need.household_id):
                used[result.assignments[need.household_id]] += need.size
        # Each municipality's <option> is the same on every row but for `selected`: written once here, as the
        # template wrote it up to 9,000 times for 1,000 households (half a second a page at demo scale 5).
        option_html = {}

        def option(mid, selected):
            if (mid, selected) not in option_html:
                free = slot_by_id[mid].capacity
                option_html[mid, selected] = format_html(
                    '<option value="{}" data-free="{}" data-name="{}"{}>{} ({} ledige)</option>', mid, free, names[mid],
                    mark_safe(" selected") if selected else "", names[mid], free - used[mid])
            return option_html[mid, selected]

        rows = []
        for need in households:
            picked = result.assignments.get(need.household_id)
            ids = list(result.candidates.get(need.household_id, [])[:8])
            if picked and picked not in ids and picked in slot_by_id:
                ids.insert(0, picked)
            options = mark_safe("".join(option(mid, mid == picked) for mid in ids if mid in slot_by_id))
            rows.append({"household": objects[need.household_id], "need": need, "municipality_id": picked, "options": options})
        return result, rows, {h.household_id: h for h in households}, slot_by_id, names

    def render_page(self, request, year, region, result, rows, errors=(), status=200, confirm=None, deadline=None,
                    partly_sent=False, **runs):
        placed = [r for r in rows if r["municipality_id"]]
        return render(request, "settlement/matching.html", {**runs,
            "year": year, "region": region, "regions": Region.objects.all(), "result": result, "rows": rows,
            "rows_html": matching_rows(rows), "errors": errors, "partly_sent": partly_sent,
            "placed_households": len(placed), "placed_persons": sum(r["need"].size for r in placed),
            "reply_deadline": (deadline or timezone.localdate() + timedelta(days=14)).isoformat(), "confirm": confirm,
            "deadline": deadline,
            "gap_percent": None if result.mip_gap is None else result.mip_gap * 100,
        }, status=status)

    def get(self, request):
        year, region = self.params(request.GET)
        latest, done = self.runs(year, region)
        if request.GET.get("progress"):  # polled by the page while a job runs
            if latest is None:
                return JsonResponse({"status": None, "progress": 0, "stage": ""})
            return JsonResponse({"status": latest.status, "status_label": latest.get_status_display(),
                                 "progress": latest.progress, "stage": latest.stage})
        chosen = {int(k): v for k, v in done.assignments.items()} if done else None
        result, rows, *_ = self.build_rows(year, region, chosen=chosen)
        if done:  # the last proposal, as the solver left it
            result.method, result.mip_gap, result.seconds, result.message = done.method, done.mip_gap, done.seconds, done.message
        pending = latest if latest and latest.status in (MatchingRun.Status.QUEUED, MatchingRun.Status.RUNNING) else None
        failed = latest if latest and latest.status == MatchingRun.Status.FAILED else None
        return self.render_page(request, year, region, result, rows, run=done, pending=pending, failed=failed)

    def solve(self, request, year, region):
        matching.request_run(self.actor, year, region, inline_households=self.inline_households,
                             batch_households=self.max_households)
        return redirect(f"{reverse('settlement:matching')}?year={year}&region={region or ''}")

    def parse(self, data):
        chosen = {}
        for key, value in data.items():
            if key.startswith("m_") and key[2:].isdigit() and len(key) <= 12 and int(key[2:]) <= MAX_ID:
                chosen[int(key[2:])] = int(value) if value.isdigit() and len(value) <= 10 and int(value) <= MAX_ID else None
        try:
            deadline = date.fromisoformat(data.get("reply_deadline", ""))
        except ValueError:
            deadline = None
        return chosen, deadline

    def check(self, chosen, deadline, needs, slots, names):
        """Everything that would stop a list, found before anything is sent: one clear message per municipality."""
        errors = [] if deadline else ["Oppgi en gyldig svarfrist."]
        persons, minors = defaultdict(int), defaultdict(int)
        for hid, mid in chosen.items():
            if not mid:
                continue
            need = needs.get(hid)
            if need is None:
                errors.append(f"Husstand #{hid} er ikke lenger bosettingsklar i utvalget.")
            elif mid not in slots:
                errors.append(f"Husstand #{hid}: {names.get(mid, 'ukjent kommune')} har ingen ledige plasser å foreslå.")
            else:
                persons[mid] += need.size
                minors[mid] += need.size if need.minor else 0
        for mid in sorted(persons, key=lambda m: names[m]):
            slot = slots[mid]
            if persons[mid] > slot.capacity:
                errors.append(f"{names[mid]}: {persons[mid]} personer foreslått, men bare {slot.capacity} ledige plasser.")
            if minors[mid] > slot.minor_capacity:
                errors.append(f"{names[mid]}: {minors[mid]} enslige mindreårige foreslått, men bare {slot.minor_capacity} "
                              "ledige plasser for enslige mindreårige.")
        return errors

    def post(self, request):
        year, region = self.params(request.POST)
        if request.POST.get("action") == "solve":
            return self.solve(request, year, region)
        chosen, deadline = self.parse(request.POST)
        result, rows, needs, slots, names = self.build_rows(year, region, chosen=chosen)
        errors = self.check(chosen, deadline, needs, slots, names)
        groups = defaultdict(list)
        for hid, mid in chosen.items():
            if mid:
                groups[mid].append(hid)
        if not groups and not errors:
            errors.append("Velg en kommune for minst én husstand.")
        if errors:  # nothing is sent while any list would be refused
            return self.render_page(request, year, region, result, rows, errors=errors, status=400, deadline=deadline)
        if not request.POST.get("confirmed"):
            summary = [{"name": names[mid], "households": len(hids), "persons": sum(needs[h].size for h in hids)}
                       for mid, hids in sorted(groups.items(), key=lambda kv: names[kv[0]])]
            return self.render_page(request, year, region, result, rows, deadline=deadline, confirm={
                "lists": summary, "households": sum(s["households"] for s in summary),
                "persons": sum(s["persons"] for s in summary)})
        sent, failed = [], []
        municipalities = Municipality.objects.in_bulk(list(groups))
        for mid, hids in sorted(groups.items()):
            try:
                sent.append(services.propose_households(self.actor, municipality=municipalities[mid], household_ids=hids,
                                                        reply_deadline=deadline, year=year))
            except ValidationError as exc:  # changed by someone else since the check
                failed.append(f"{municipalities[mid].name}: {' '.join(exc.messages)}")
        if sent:
            households = sum(len(groups[d.municipality_id]) for d in sent)
            messages.success(request, f"Sendt {count_noun(len(sent), 'fordelingsliste', 'fordelingslister')} med "
                                      f"{count_noun(households, 'husstand', 'husstander')}.")
        if not failed:
            return redirect("settlement:distribution_lists")
        sent_ids = {hid for d in sent for hid in groups[d.municipality_id]}
        result, rows, *_ = self.build_rows(year, region, chosen={h: m for h, m in chosen.items() if h not in sent_ids})
        return self.render_page(request, year, region, result, rows, errors=failed, status=400, deadline=deadline,
                                partly_sent=bool(sent))
