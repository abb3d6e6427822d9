"""IMDi's caseworker pages: the work queue, registering households, building and following distribution lists."""

from html import escape

from django.contrib import messages
from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.views import View
from django_tables2 import RequestConfig

from core import formatting
from core.bounds import MAX_HOUSEHOLD_SIZE
from core.models import Municipality
from core.params import id_param, year_param
from core.roles import RoleRequiredMixin
from core.views import ServiceFormMixin

from .. import selectors, services
from ..filtersets import DistributionListFilterSet, HouseholdFilterSet
from ..forms import DistributionListForm, HouseholdForm, PersonFormSet
from ..models import ACTIVE_STATUSES, Household, HouseholdStatus, Person, ProposalStatus
from ..pagination import VersionedCountPaginator
from ..tables import DistributionListTable, HouseholdTable
from ..widgets import quick_selects
from .common import error_summary, export_query, mark_waiting, select_options


class WorkQueueView(RoleRequiredMixin, View):
    """Arbeidskø: households in the flow, longest-waiting first, filterable, exportable as CSV."""

    permission = "settlement.view_work_queue"
    page_size = 50

    def get(self, request):
        today = timezone.localdate()
        data = request.GET.copy()
        if "status" not in data:
            data.setlist("status", list(ACTIVE_STATUSES))
        filterset = HouseholdFilterSet(data, queryset=selectors.work_queue(self.actor))
        table = HouseholdTable(filterset.qs, today=today)
        if request.GET.get("format") == "csv":
            return table.csv("arbeidsko.csv")
        RequestConfig(request, paginate={"paginator_class": VersionedCountPaginator}).configure(table)
        long_waiting = self.long_waiting(filterset, data, today)
        return render(request, "settlement/work_queue.html", {
            "filter": filterset, "table": table, "today": today, "long_waiting": long_waiting,
            "total": table.paginator.count, "csv_query": export_query(request),
        })

    def long_waiting(self, filterset, data, today) -> dict:
        """Households with a long-waiting member, and the long-waiting persons in them (per person, footnote 17).
        Cached by the day, the data's version, the user's scope and the filter: the persons' count joins every
        household in the filter (30 ms at demo scale 5, issue 14) on a page opened again and again unchanged."""
        from core.caching import cached_by_version

        actor = self.actor
        scope = (actor.role, actor.region_id, actor.municipality_id, actor.agency_id, actor.reception_centre_id)
        filters = sorted((k, tuple(sorted(data.getlist(k)))) for k in data if k in filterset.filters)
        return cached_by_version("settlement-queue-long-waiting", (today.isoformat(), scope, filters),
                                 (Household, Person), lambda: {
            "households": filterset.qs.filter(selectors.long_waiting_q(today)).count(),
            "persons": selectors.long_waiting_persons(today).filter(household__in=filterset.qs.values("pk")).count(),
        })


def candidate_rows(households, selected) -> str:
    """The list builder's rows (up to 200 households with a checkbox each), written in one pass: the template's
    loop took 25 ms of the page at demo scale 5 (issue 14). Every text is escaped (html.escape escapes what
    django.utils.html.escape does); the same HTML as the template wrote (settlement/tests/test_page_costs.py)."""
    rows = []
    for h in households:
        head = next(iter(h.persons.all()), None)
        needs = h.special_needs if len(h.special_needs) <= 40 else Truncator(h.special_needs).chars(40)
        long = ' <span class="badge long">Lengeventende</span>' if h.long else ""
        rows.append(
            f'<tr>\n        <td><input type="checkbox" name="households" value="{h.pk}" id="hh-{h.pk}" '
            f'{"checked" if h.pk in selected else ""}></td>\n'
            f'        <td><label for="hh-{h.pk}" style="font-weight:normal">#{h.pk}</label></td>\n'
            f'        <td>{escape(head.full_name) if head else ""}</td><td class="num">{h.size}</td>'
            f'<td>{escape(str(h.get_composition_display()))}</td>\n'
            f'        <td>{escape(h.reception_centre.name) if h.reception_centre else "–"}</td>'
            f'<td>{escape(h.tied_municipality.name) if h.tied_municipality else ""}</td>\n'
            f'        <td>{escape(needs)}</td>\n'
            f'        <td>{h.waiting_since.strftime("%d.%m.%Y")}<br><span class="muted">'
            f'{escape(formatting.count_noun(h.days, "dag", "dager"))}</span>{long}</td>\n      </tr>')
    return mark_safe("".join(rows))


class DistributionListBuilderView(RoleRequiredMixin, ServiceFormMixin, View):
    """Fordelingsliste: pick a municipality, see its capacity, tick households, send."""

    permission = "settlement.propose"
    max_candidates = 200

    def candidates(self, request):
        # The queue's households and order, with only what a row shows: the tie joined here, not looked up per
        # household, and the members without their interviews (issue 14).
        base = (selectors.work_queue(self.actor).filter(status=HouseholdStatus.READY)
                .select_related(None).select_related("reception_centre", "tied_municipality")
                .prefetch_related(None).prefetch_related("persons"))
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
        # Both municipality pickers (the filter's and the form's) share one query of the form field's municipalities,
        # and their options are made in Python (select_options): the field validates as before, the template writes
        # its <select>.
        municipalities = list(form.fields["municipality"].queryset.values_list("pk", "name", "number"))
        pickers = {
            "filter": select_options([("", "— velg —")] + [(pk, f"{name} ({number})") for pk, name, number in municipalities],
                                     municipality.pk if municipality else None),
            "form": select_options([("", "— velg —")] + [(pk, f"{number} {name}") for pk, name, number in municipalities],
                                   form["municipality"].value()),
        }
        selected = {int(s) for s in selected}
        return {"form": form, "municipality_options": pickers, "filter": filterset, "households": households,
                "rows": candidate_rows(households, selected), "capacity": capacity, "municipality": municipality,
                "today": today, "selected": selected}

    def get(self, request):
        filterset, households = self.candidates(request)
        initial = DistributionListForm.default_initial()
        mid = id_param(request.GET, "municipality_id")  # malformed ids and years are a 400, not a 500
        if mid:
            initial["municipality"] = Municipality.objects.filter(pk=mid).first()
        if request.GET.get("year"):
            initial["year"] = year_param(request.GET)
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
        # Filters work on the ids, so the state filter's join does not multiply the annotated counts.
        filterset = DistributionListFilterSet(request.GET, queryset=selectors.distribution_lists_for(self.actor))
        table = DistributionListTable(lists.filter(pk__in=filterset.qs.values("pk")))
        if request.GET.get("format") == "csv":
            return table.csv("fordelingslister.csv")
        RequestConfig(request).configure(table)
        return render(request, "settlement/distribution_lists.html", {
            "filter": filterset, "table": table, "csv_query": export_query(request)})


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
        quick_selects(form, "category", "region", "reception_centre", "tied_municipality")  # 838 municipalities (issue 14)
        return render(request, "settlement/household_form.html", {
            "form": form, "persons": persons, "errors": error_summary(form, persons), "max_persons": MAX_HOUSEHOLD_SIZE,
        }, status=status)

    def get(self, request):
        initial = {"region": self.actor.region_id, "settlement_ready_on": timezone.localdate()}
        return self.render_page(request, HouseholdForm(initial=initial), PersonFormSet(prefix="p"))

    def add_person(self, request):
        """Without JavaScript, "Legg til person" posts the form: show it again, unsaved, with one row more."""
        data = request.POST.copy()
        total = data.get("p-TOTAL_FORMS", "1")
        data["p-TOTAL_FORMS"] = str(min(int(total) + 1 if total.isdigit() else 1, MAX_HOUSEHOLD_SIZE))
        persons = PersonFormSet(prefix="p", initial=[{}] * int(data["p-TOTAL_FORMS"]))
        bound = PersonFormSet(data, prefix="p")
        for i, row in enumerate(persons.forms):  # the typed values back, without error messages yet
            row.initial = {name: bound.forms[i].data.get(f"p-{i}-{name}", "") for name in row.fields}
        form = HouseholdForm(initial={name: request.POST.get(name, "") for name in HouseholdForm.base_fields})
        return self.render_page(request, form, persons)

    def post(self, request):
        if "add_person" in request.POST:
            return self.add_person(request)
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
