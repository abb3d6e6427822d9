"""Browser views for the settlement pipeline. Thin: they parse forms, call services and selectors."""

from collections import defaultdict
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from core.models import Municipality, Region, Role
from core.csv import csv_response
from core.params import year_param
from core.views import ServiceFormMixin
from core.roles import IMDI_ROLES, RoleRequiredMixin

from . import selectors, services
from .filtersets import HouseholdFilterSet
from .forms import (
    AcceptForm,
    AdjustRequestForm,
    AssignForm,
    DecisionForm,
    DeclineForm,
    DistributionListForm,
    ExitForm,
    HouseholdForm,
    PersonFormSet,
    RequestForm,
    SettlementDatesForm,
    WithdrawForm,
)
from .models import (
    ACTIVE_STATUSES,
    HouseholdStatus,
    MunicipalDecision,
    Household,
    NationalNeed,
    ProposalStatus,
    RequestedPlaces,
)

MUNICIPALITY = (Role.MUNICIPALITY,)


def _mark_waiting(households, today):
    """Days waited and the long-waiting flag, for the case lists."""
    for h in households:
        h.days, h.long = h.waiting_days(today), h.is_long_waiting(today)


# --- Caseworker ---------------------------------------------------------------------------------


class WorkQueueView(RoleRequiredMixin, View):
    """Arbeidskø: households in the flow, longest-waiting first, filterable, exportable as CSV."""

    allowed_roles = IMDI_ROLES
    page_size = 50

    def get(self, request):
        today = timezone.localdate()
        data = request.GET.copy()
        if "status" not in data:
            data.setlist("status", list(ACTIVE_STATUSES))
        base = selectors.work_queue(self.actor)
        filterset = HouseholdFilterSet(data, queryset=base)
        qs = filterset.qs
        if request.GET.get("format") == "csv":
            return self.csv(qs, today)
        page = Paginator(qs, self.page_size).get_page(request.GET.get("page"))
        _mark_waiting(page, today)
        long_waiting = filterset.qs.filter(selectors.long_waiting_q(today)).aggregate(
            households=Count("id"), persons=Coalesce(Sum("size"), 0)
        )
        query = data.copy()
        query.pop("page", None)
        return render(request, "settlement/work_queue.html", {
            "filter": filterset, "page": page, "today": today, "long_waiting": long_waiting,
            "total": page.paginator.count, "querystring": query.urlencode(),
        })

    def csv(self, qs, today):
        response, w = csv_response("arbeidsko.csv")
        w.writerow(["Husstand", "Hovedperson", "DUF-nummer", "Personer", "Kategori", "Sammensetning", "Status",
                    "Region", "Mottak", "Kommune", "Venter siden", "Dager ventet", "Lengeventende"])
        for h in qs:
            head = next(iter(h.persons.all()), None)
            w.writerow([
                h.pk, head.full_name if head else "", head.duf_number if head else "", h.size,
                h.get_category_display(), h.get_composition_display(), h.get_status_display(), h.region.name,
                h.reception_centre.name if h.reception_centre else "", h.municipality.name if h.municipality else "",
                h.waiting_since.isoformat(), h.waiting_days(today), "ja" if h.is_long_waiting(today) else "nei",
            ])
        return response


class HouseholdDetailView(RoleRequiredMixin, ServiceFormMixin, View):
    """Husstand: members, proposals, timeline and the actions the user's role allows."""

    allowed_roles = IMDI_ROLES + MUNICIPALITY
    template_name = "settlement/household_detail.html"

    def forms_for(self, household, data=None, action=None):
        today = timezone.localdate()
        bound = lambda name: data if action == name else None  # noqa: E731
        forms = {}
        if self.actor.is_imdi:
            if household.status == HouseholdStatus.ACCEPTED:
                forms["assign"] = AssignForm(bound("assign"), initial={"assigned_on": today}, prefix="assign")
            if household.status in (HouseholdStatus.PROPOSED, HouseholdStatus.ACCEPTED):
                forms["withdraw"] = WithdrawForm(bound("withdraw"), prefix="withdraw")
            if household.status in ACTIVE_STATUSES:
                forms["exit"] = ExitForm(bound("exit"), initial={"exited_on": today}, prefix="exit")
        elif self.actor.can_write:
            if household.status == HouseholdStatus.PROPOSED:
                forms["accept"] = AcceptForm(bound("accept"), prefix="accept")
                forms["decline"] = DeclineForm(bound("decline"), prefix="decline")
            if household.status == HouseholdStatus.ASSIGNED:
                forms["settle"] = SettlementDatesForm(bound("settle"), persons=household.persons.all(), prefix="settle")
        return forms

    def render_page(self, request, household, forms, status=200):
        today = timezone.localdate()
        proposals = household.proposals.select_related("municipality", "distribution_list").order_by("-id")
        events = household.events.select_related("actor", "municipality")
        if self.actor.is_municipality:
            # Another municipality's answers about this household are not this municipality's business.
            proposals = proposals.filter(municipality_id=self.actor.municipality_id)
            events = events.filter(Q(municipality_id=self.actor.municipality_id) | Q(municipality__isnull=True))
        capacity = None
        if household.municipality_id and household.settlement_year:
            capacity = selectors.capacity(household.municipality_id, household.settlement_year)
        return render(request, self.template_name, {
            "household": household, "persons": household.persons.all(), "today": today,
            "events": events,
            "proposals": proposals, "forms": forms, "capacity": capacity,
            "long_waiting": household.is_long_waiting(today), "waiting_days": household.waiting_days(today),
        }, status=status)

    def get(self, request, pk):
        household = selectors.get_household(self.actor, pk)
        return self.render_page(request, household, self.forms_for(household))

    def post(self, request, pk):
        household = selectors.get_household(self.actor, pk)
        action = request.POST.get("action")
        forms = self.forms_for(household, request.POST, action)
        form = forms.get(action)
        if form is None:
            raise PermissionDenied("Handlingen er ikke tilgjengelig for denne husstanden.")
        if form.is_valid() and self.call_service(form, self.perform, action, household, form)[0]:
            messages.success(request, SUCCESS_MESSAGES[action])
            return redirect("settlement:household", pk=household.pk)
        return self.render_page(request, household, forms, status=400)

    def perform(self, action, household, form):
        d = form.cleaned_data
        live = household.proposals.filter(status__in=[ProposalStatus.PENDING, ProposalStatus.ACCEPTED]).first()
        if action == "assign":
            services.assign_household(self.actor, household, assigned_on=d["assigned_on"])
        elif action == "withdraw":
            services.withdraw_proposal(self.actor, live, note=d["note"])
        elif action == "exit":
            services.exit_household(self.actor, household, reason=d["reason"], exited_on=d["exited_on"], note=d["note"])
        elif action == "accept":
            services.accept_proposal(self.actor, live, comment=d["comment"])
        elif action == "decline":
            services.decline_proposal(self.actor, live, reason=d["reason"], comment=d["comment"])
        elif action == "settle":
            services.register_settlement(self.actor, household, dates=form.dates())


SUCCESS_MESSAGES = {
    "assign": "Husstanden er søkt ut til kommunen.",
    "withdraw": "Forslaget er trukket. Husstanden er bosettingsklar igjen.",
    "exit": "Husstanden er tatt ut av bosettingsløpet.",
    "accept": "Forslaget er akseptert.",
    "decline": "Forslaget er avslått. IMDi søker husstanden ut til en annen kommune.",
    "settle": "Bosettingsdato er registrert.",
}


class PersonDetailView(RoleRequiredMixin, View):
    allowed_roles = IMDI_ROLES + MUNICIPALITY

    def get(self, request, pk):
        person = get_object_or_404(selectors.persons_for(self.actor).select_related("household"), pk=pk)
        return redirect(reverse("settlement:household", args=[person.household_id]) + f"#person-{person.pk}")


class DistributionListBuilderView(RoleRequiredMixin, ServiceFormMixin, View):
    """Fordelingsliste: pick a municipality, see its capacity, tick households, send."""

    allowed_roles = IMDI_ROLES
    max_candidates = 200

    def candidates(self, request):
        base = selectors.work_queue(self.actor).filter(status=HouseholdStatus.READY)
        data = request.GET.copy()
        data.pop("status", None)
        filterset = HouseholdFilterSet(data, queryset=base)
        households = list(filterset.qs[: self.max_candidates])
        _mark_waiting(households, timezone.localdate())
        return filterset, households

    def context(self, request, form, filterset, households):
        today = timezone.localdate()
        capacity = municipality = None
        if form.is_bound and form.is_valid() or not form.is_bound and form.initial.get("municipality"):
            municipality = form.cleaned_data["municipality"] if form.is_bound else form.initial["municipality"]
            year = form.cleaned_data["year"] if form.is_bound else form.initial["year"]
            capacity = selectors.capacity(municipality.pk, year)
        selected = set(form["households"].value() or [])
        return {"form": form, "filter": filterset, "households": households, "capacity": capacity,
                "municipality": municipality, "today": today, "selected": {int(s) for s in selected}}

    def get(self, request):
        filterset, households = self.candidates(request)
        initial = DistributionListForm.default_initial()
        mid = request.GET.get("municipality_id")
        if mid and mid.isdigit():
            initial["municipality"] = Municipality.objects.filter(pk=mid).first()
        if request.GET.get("year", "").isdigit():
            initial["year"] = int(request.GET["year"])
        form = DistributionListForm(initial=initial, household_choices=households)
        return render(request, "settlement/distribution_list_builder.html", self.context(request, form, filterset, households))

    def post(self, request):
        filterset, households = self.candidates(request)
        chosen = [int(x) for x in request.POST.getlist("households") if x.isdigit()]
        # Selected households stay valid choices even if the filter changed.
        extra = list(selectors.households_for(self.actor).filter(pk__in=chosen).exclude(pk__in=[h.pk for h in households]))
        form = DistributionListForm(request.POST, household_choices=households + extra)
        if form.is_valid():
            d = form.cleaned_data
            ok, dlist = self.call_service(
                form, services.propose_households, self.actor, municipality=d["municipality"], household_ids=d["households"],
                reply_deadline=d["reply_deadline"], year=d["year"], note=d["note"])
            if ok:
                messages.success(request, f"Fordelingsliste {dlist.pk} er sendt til {dlist.municipality.name}.")
                return redirect("settlement:distribution_list", pk=dlist.pk)
        ctx = self.context(request, form, filterset, households + extra)
        return render(request, "settlement/distribution_list_builder.html", ctx, status=400)


class DistributionListListView(RoleRequiredMixin, View):
    allowed_roles = IMDI_ROLES + MUNICIPALITY

    def get(self, request):
        lists = selectors.distribution_lists_for(self.actor).annotate(
            households=Count("proposals"), persons=Coalesce(Sum("proposals__persons"), 0),
            pending=Count("proposals", filter=Q(proposals__status=ProposalStatus.PENDING)),
            accepted=Count("proposals", filter=Q(proposals__status=ProposalStatus.ACCEPTED)),
            declined=Count("proposals", filter=Q(proposals__status=ProposalStatus.DECLINED)),
        ).order_by("-created_at", "-id")
        page = Paginator(lists, 50).get_page(request.GET.get("page"))
        return render(request, "settlement/distribution_lists.html", {"page": page, "today": timezone.localdate()})


class DistributionListDetailView(RoleRequiredMixin, View):
    allowed_roles = IMDI_ROLES + MUNICIPALITY

    def get(self, request, pk):
        dlist = get_object_or_404(selectors.distribution_lists_for(self.actor), pk=pk)
        proposals = dlist.proposals.select_related("household", "household__reception_centre").prefetch_related("household__persons")
        return render(request, "settlement/distribution_list_detail.html", {"dlist": dlist, "proposals": proposals})


# --- Municipality -------------------------------------------------------------------------------


def _municipality(actor):
    return Municipality.objects.select_related("region", "county").get(pk=actor.municipality_id)


class InboxView(RoleRequiredMixin, ServiceFormMixin, View):
    """The municipality's inbox (innboks): proposals waiting for an answer."""

    allowed_roles = MUNICIPALITY

    def render_page(self, request, bound=None, status=200):
        municipality = _municipality(self.actor)
        today = timezone.localdate()
        proposals = list(selectors.pending_proposals_for_municipality(self.actor))
        for p in proposals:
            is_bound = bound and bound[0] == p.pk
            p.accept_form = bound[1] if is_bound and bound[2] == "accept" else AcceptForm(prefix=f"a{p.pk}")
            p.decline_form = bound[1] if is_bound and bound[2] == "decline" else DeclineForm(prefix=f"d{p.pk}")
        years = sorted({p.household.settlement_year for p in proposals} | {today.year})
        caps = [selectors.capacity(municipality.pk, y) for y in years]
        return render(request, "settlement/inbox.html", {
            "municipality": municipality, "proposals": proposals, "capacities": caps, "today": today,
        }, status=status)

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        proposal = selectors.get_proposal(self.actor, request.POST.get("proposal"))
        action = request.POST.get("action")
        if action == "accept":
            form = AcceptForm(request.POST, prefix=f"a{proposal.pk}")
            call = lambda: services.accept_proposal(self.actor, proposal, comment=form.cleaned_data["comment"])  # noqa: E731
        elif action == "decline":
            form = DeclineForm(request.POST, prefix=f"d{proposal.pk}")
            call = lambda: services.decline_proposal(  # noqa: E731
                self.actor, proposal, reason=form.cleaned_data["reason"], comment=form.cleaned_data["comment"])
        else:
            raise PermissionDenied("Ukjent handling.")
        if form.is_valid() and self.call_service(form, call)[0]:
            messages.success(request, SUCCESS_MESSAGES[action])
            return redirect("settlement:inbox")
        return self.render_page(request, bound=(proposal.pk, form, action), status=400)


class DecisionView(RoleRequiredMixin, ServiceFormMixin, View):
    """The municipality's decision (vedtak) per year, with the requests it answers and its history."""

    allowed_roles = MUNICIPALITY

    def render_page(self, request, form, status=200):
        municipality = _municipality(self.actor)
        decisions = list(MunicipalDecision.objects.filter(municipality=municipality).order_by("-year"))
        requested = {rp.year: rp for rp in RequestedPlaces.objects.filter(municipality=municipality).select_related("request")}
        caps = selectors.capacities([municipality.pk], timezone.localdate().year)
        history = MunicipalDecision.history.filter(municipality_id=municipality.pk).select_related("history_user").order_by("-history_date")[:20]
        rows = []
        for year in sorted(set(requested) | {d.year for d in decisions}, reverse=True):
            decision = next((d for d in decisions if d.year == year), None)
            rp = requested.get(year)
            rows.append({"year": year, "requested": rp, "decision": decision})
        return render(request, "settlement/decision.html", {
            "municipality": municipality, "form": form, "rows": rows, "history": history,
            "capacity": caps[municipality.pk],
        }, status=status)

    def get(self, request):
        year = year_param(request.GET)
        decision = MunicipalDecision.objects.filter(municipality_id=self.actor.municipality_id, year=year).first()
        form = DecisionForm(initial=DecisionForm.initial_for(decision, year))
        return self.render_page(request, form)

    def post(self, request):
        if not self.actor.can_write:
            raise PermissionDenied("Du har bare lesetilgang for kommunen.")
        form = DecisionForm(request.POST)
        municipality = _municipality(self.actor)
        if form.is_valid() and self.call_service(form, lambda: services.record_decision(
            self.actor, municipality=municipality, **form.cleaned_data
        ))[0]:
            messages.success(request, f"Vedtaket for {form.cleaned_data['year']} er registrert.")
            return redirect(reverse("settlement:decision") + f"?year={form.cleaned_data['year']}")
        return self.render_page(request, form, status=400)


class SettlementRegistrationView(RoleRequiredMixin, ServiceFormMixin, View):
    """Register settlement dates (bosettingsdato) for households assigned to the municipality."""

    allowed_roles = MUNICIPALITY

    def render_page(self, request, bound=None, status=200):
        households = list(
            selectors.households_for(self.actor).filter(status=HouseholdStatus.ASSIGNED)
            .prefetch_related("persons").order_by("assigned_on", "id")
        )
        for h in households:
            h.form = bound[1] if bound and bound[0] == h.pk else SettlementDatesForm(persons=h.persons.all(), prefix=f"h{h.pk}")
        recent = selectors.households_for(self.actor).filter(status=HouseholdStatus.SETTLED).order_by("-settled_on")[:20]
        return render(request, "settlement/settlement_registration.html", {
            "municipality": _municipality(self.actor), "households": households, "recent": recent,
            "today": timezone.localdate(),
        }, status=status)

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        household = selectors.get_household(self.actor, request.POST.get("household"))
        form = SettlementDatesForm(request.POST, persons=household.persons.all(), prefix=f"h{household.pk}")
        if form.is_valid() and self.call_service(form, services.register_settlement, self.actor, household, dates=form.dates())[0]:
            messages.success(request, SUCCESS_MESSAGES["settle"])
            return redirect("settlement:settlement_registration")
        return self.render_page(request, bound=(household.pk, form), status=400)


# --- Requests, capacity and overview ------------------------------------------------------------


class RequestListView(RoleRequiredMixin, View):
    allowed_roles = IMDI_ROLES + MUNICIPALITY

    def get(self, request):
        qs = selectors.requests_for(self.actor)
        page = Paginator(qs, 50).get_page(request.GET.get("page"))
        return render(request, "settlement/requests.html", {"page": page})


class RequestCreateView(RoleRequiredMixin, ServiceFormMixin, View):
    allowed_roles = IMDI_ROLES

    def get(self, request):
        today = timezone.localdate()
        form = RequestForm(initial={"sent_on": today, "reply_deadline": today + timedelta(days=60), "first_year": today.year + 1})
        return render(request, "settlement/request_form.html", {"form": form})

    def post(self, request):
        form = RequestForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            if self.call_service(form, lambda: services.create_settlement_request(
                self.actor, municipality=d["municipality"], sent_on=d["sent_on"], reply_deadline=d["reply_deadline"],
                years=form.years(), note=d["note"],
            ))[0]:
                messages.success(request, f"Anmodning er sendt til {d['municipality'].name}.")
                return redirect("settlement:requests")
        return render(request, "settlement/request_form.html", {"form": form}, status=400)


class RequestAdjustView(RoleRequiredMixin, ServiceFormMixin, View):
    allowed_roles = IMDI_ROLES

    def get_request(self, pk):
        return get_object_or_404(selectors.requests_for(self.actor), pk=pk)

    def get(self, request, pk):
        req = self.get_request(pk)
        form = AdjustRequestForm(request_years=req.years.all())
        history = req.history.select_related("history_user").order_by("-history_date")
        return render(request, "settlement/request_adjust.html", {"req": req, "form": form, "history": history})

    def post(self, request, pk):
        req = self.get_request(pk)
        form = AdjustRequestForm(request.POST, request_years=req.years.all())
        if form.is_valid() and self.call_service(form, lambda: services.adjust_settlement_request(
            self.actor, req, years=form.years(), note=form.cleaned_data["note"]
        ))[0]:
            messages.success(request, "Anmodningen er justert.")
            return redirect("settlement:requests")
        return render(request, "settlement/request_adjust.html", {"req": req, "form": form, "history": []}, status=400)


class CapacityView(RoleRequiredMixin, View):
    """Kapasitet: requested, decided, used and remaining places per municipality for a year."""

    allowed_roles = IMDI_ROLES

    def get(self, request):
        year = year_param(request.GET)
        region = request.GET.get("region")
        municipalities = Municipality.objects.select_related("region").order_by("region__name", "name")
        if region and region.isdigit():
            municipalities = municipalities.filter(region_id=region)
        elif self.actor.is_caseworker and "region" not in request.GET:
            municipalities = municipalities.filter(region_id=self.actor.region_id)
        municipalities = list(municipalities)
        caps = selectors.capacities([m.pk for m in municipalities], year)
        requested = dict(RequestedPlaces.objects.filter(year=year, municipality__in=municipalities).values_list("municipality_id", "persons"))
        rows = [{"m": m, "cap": caps[m.pk], "requested": requested.get(m.pk)} for m in municipalities]
        if request.GET.get("format") == "csv":
            response, w = csv_response(f"kapasitet-{year}.csv")
            w.writerow(["Kommunenr", "Kommune", "Region", "Anmodet", "Vedtatt", "Herav EM", "Foreslått", "Akseptert", "Søkt ut", "Bosatt", "Ledig"])
            for r in rows:
                c = r["cap"]
                w.writerow([r["m"].number, r["m"].name, r["m"].region.name, r["requested"] or "", c.decided if c.has_decision else "",
                            c.decided_minors, c.proposed, c.accepted, c.assigned, c.settled, c.remaining])
            return response
        totals = {k: sum(getattr(r["cap"], k) for r in rows) for k in ("decided", "proposed", "accepted", "assigned", "settled", "remaining")}
        totals["requested"] = sum(r["requested"] or 0 for r in rows)
        return render(request, "settlement/capacity.html", {
            "rows": rows, "year": year, "regions": Region.objects.all(), "region": region, "totals": totals,
        })


class OverviewView(RoleRequiredMixin, View):
    """Aggregates only (no personal data): what the ministry sees, and everyone's landing figures."""

    allowed_roles = IMDI_ROLES + (Role.MINISTRY,)

    def get(self, request):
        today = timezone.localdate()
        year = today.year
        by_region = (
            Household.objects.values("region__name")
            .annotate(
                ready=Coalesce(Sum("size", filter=Q(status=HouseholdStatus.READY)), 0),
                in_process=Coalesce(Sum("size", filter=Q(status__in=[HouseholdStatus.PROPOSED, HouseholdStatus.ACCEPTED, HouseholdStatus.ASSIGNED])), 0),
                long_waiting=Coalesce(Sum("size", filter=selectors.long_waiting_q(today)), 0),
                settled_year=Coalesce(Sum("size", filter=Q(status=HouseholdStatus.SETTLED, settled_on__year=year)), 0),
            )
            .order_by("region__name")
        )
        need = NationalNeed.objects.filter(year=year).first()
        decided = MunicipalDecision.objects.filter(year=year).aggregate(total=Coalesce(Sum("places"), 0))["total"]
        requested = RequestedPlaces.objects.filter(year=year).aggregate(total=Coalesce(Sum("persons"), 0))["total"]
        rows = list(by_region)
        counts = ("ready", "in_process", "long_waiting", "settled_year")
        totals = {k: sum(r[k] for r in rows) for k in counts}
        from core.disclosure import sees_small_counts, suppress_rows

        if not sees_small_counts(self.actor):
            rows, totals = suppress_rows(rows, counts), suppress_rows([totals], counts)[0]
        return render(request, "settlement/overview.html", {
            "rows": rows, "totals": totals, "need": need, "decided": decided, "requested": requested, "year": year,
            "regions": Region.objects.count(),
        })


class MatchingView(RoleRequiredMixin, View):
    """Utsøking: the engine proposes distribution lists; the caseworker edits them before they are sent."""

    allowed_roles = IMDI_ROLES
    max_households = 400

    def params(self, data):
        region = data.get("region", "")
        return year_param(data), int(region) if region.isdigit() else None

    def build_rows(self, year, region, chosen=None):
        from . import matching

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


class HouseholdCreateView(RoleRequiredMixin, ServiceFormMixin, View):
    """Register a settlement-ready household by hand (most arrive from UDI through the API)."""

    allowed_roles = IMDI_ROLES

    def render_page(self, request, form, persons, status=200):
        return render(request, "settlement/household_form.html", {"form": form, "persons": persons}, status=status)

    def get(self, request):
        initial = {"region": self.actor.region_id, "settlement_ready_on": timezone.localdate()}
        return self.render_page(request, HouseholdForm(initial=initial), PersonFormSet(prefix="p"))

    def post(self, request):
        form, persons = HouseholdForm(request.POST), PersonFormSet(request.POST, prefix="p")
        if form.is_valid() and persons.is_valid():
            members = [p for p in persons.cleaned_data if p]
            ok, result = self.call_service(form, services.register_settlement_ready, self.actor, persons=members,
                                           **form.cleaned_data)
            if ok:
                household, created = result
                messages.success(request, "Husstanden er registrert som bosettingsklar." if created
                                 else "Husstanden var allerede registrert med disse DUF-numrene.")
                return redirect("settlement:household", pk=household.pk)
        return self.render_page(request, form, persons, status=400)
