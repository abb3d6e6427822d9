"""IMDi's caseworker pages: the work queue, registering households, building and following distribution lists."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from core.csv import csv_response
from core.models import Municipality
from core.roles import RoleRequiredMixin
from core.views import ServiceFormMixin

from .. import selectors, services
from ..filtersets import HouseholdFilterSet
from ..forms import DistributionListForm, HouseholdForm, PersonFormSet
from ..models import ACTIVE_STATUSES, HouseholdStatus, ProposalStatus
from .common import mark_waiting


class WorkQueueView(RoleRequiredMixin, View):
    """Arbeidskø: households in the flow, longest-waiting first, filterable, exportable as CSV."""

    permission = "settlement.view_work_queue"
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
        mark_waiting(page, today)
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


class DistributionListBuilderView(RoleRequiredMixin, ServiceFormMixin, View):
    """Fordelingsliste: pick a municipality, see its capacity, tick households, send."""

    permission = "settlement.propose"
    max_candidates = 200

    def candidates(self, request):
        base = selectors.work_queue(self.actor).filter(status=HouseholdStatus.READY)
        data = request.GET.copy()
        data.pop("status", None)
        filterset = HouseholdFilterSet(data, queryset=base)
        households = list(filterset.qs[: self.max_candidates])
        mark_waiting(households, timezone.localdate())
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
    permission = "settlement.view_cases"

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
    permission = "settlement.view_cases"

    def get(self, request, pk):
        dlist = get_object_or_404(selectors.distribution_lists_for(self.actor), pk=pk)
        proposals = dlist.proposals.select_related("household", "household__reception_centre").prefetch_related("household__persons")
        return render(request, "settlement/distribution_list_detail.html", {"dlist": dlist, "proposals": proposals})


class HouseholdCreateView(RoleRequiredMixin, ServiceFormMixin, View):
    """Register a settlement-ready household by hand (most arrive from UDI through the API)."""

    permission = "settlement.household_form"

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
