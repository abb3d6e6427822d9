"""The municipality's pages: the inbox of proposals, its decision (vedtak) and settlement dates."""

from types import SimpleNamespace

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django_tables2 import RequestConfig

from core.errors import Forbidden
from core.params import year_param
from core.roles import RoleRequiredMixin
from core.views import ServiceFormMixin

from .. import selectors, services
from ..forms import AcceptForm, DecisionForm, DeclineForm, SettlementDatesForm
from ..filtersets import HouseholdSearchFilterSet, ProposalFilterSet
from ..models import HouseholdStatus, MunicipalDecision, RequestedPlaces
from ..pagination import ProposalCountPaginator, VersionedCountPaginator
from ..tables import AssignedTable, DecisionHistoryTable, ProposalTable, SettlementRegistrationTable
from .common import SUCCESS_MESSAGES, error_summary, municipality_of


class InboxView(RoleRequiredMixin, ServiceFormMixin, View):
    """The municipality's inbox (innboks): proposals waiting for an answer."""

    permission = "settlement.municipality_pages"

    def render_page(self, request, bound=None, status=200):
        municipality = municipality_of(self.actor)
        today = timezone.localdate()
        # After a form error only the proposal in question is listed, so its error is on the page.
        data = {"q": str(bound[0].household_id)} if bound else request.GET
        filterset = ProposalFilterSet(data, queryset=selectors.pending_proposals_for_municipality(self.actor))
        table = ProposalTable(filterset.qs)
        RequestConfig(request, paginate={"paginator_class": ProposalCountPaginator}).configure(table)
        proposals = [row.record for row in table.page.object_list]
        for p in proposals:
            is_bound = bound and bound[0].pk == p.pk
            p.accept_form = bound[2] if is_bound and bound[3] == "accept" else AcceptForm(prefix=f"a{p.pk}")
            p.decline_form = bound[2] if is_bound and bound[3] == "decline" else DeclineForm(prefix=f"d{p.pk}")
        accepted_filter = HouseholdSearchFilterSet(data, queryset=selectors.households_for(self.actor).filter(
            status=HouseholdStatus.ACCEPTED).prefetch_related("persons"))
        accepted = AssignedTable(accepted_filter.qs, prefix="akseptert-", exclude=("assigned_on",), order_by=("settlement_year", "pk"))
        RequestConfig(request, paginate={"paginator_class": VersionedCountPaginator}).configure(accepted)
        years = sorted({p.household.settlement_year for p in proposals} | {today.year})
        caps = [selectors.shown_capacity(municipality.pk, y) for y in years]
        errors = error_summary(bound[2]) if bound else []
        return render(request, "settlement/inbox.html", {
            "municipality": municipality, "proposals": proposals, "table": table, "filter": filterset, "accepted": accepted,
            "capacities": caps, "today": today, "errors": errors,
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
            raise Forbidden("Ukjent handling.", code="unknown_action")
        if form.is_valid() and self.call_service(form, call)[0]:
            messages.success(request, SUCCESS_MESSAGES[action])
            return redirect("settlement:inbox")
        return self.render_page(request, bound=(proposal, proposal.household, form, action), status=400)


class DecisionView(RoleRequiredMixin, ServiceFormMixin, View):
    """The municipality's decision (vedtak) per year, with the requests it answers and its history."""

    permission = "settlement.municipality_pages"

    def render_page(self, request, form, status=200):
        municipality = municipality_of(self.actor)
        decisions = list(MunicipalDecision.objects.filter(municipality=municipality).order_by("-year"))
        requested = {rp.year: rp for rp in RequestedPlaces.objects.filter(municipality=municipality).select_related("request")}
        caps = selectors.capacities([municipality.pk], timezone.localdate().year)
        history = DecisionHistoryTable(decision_history(municipality, decisions))
        RequestConfig(request).configure(history)
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
        if not self.actor.can_write:  # refused before the form: a read-only user learns nothing from its errors
            raise Forbidden("Du har bare lesetilgang for kommunen.", code="read_only")
        form = DecisionForm(request.POST)
        municipality = municipality_of(self.actor)
        if form.is_valid() and self.call_service(form, lambda: services.record_decision(
            self.actor, municipality=municipality, **form.cleaned_data
        ))[0]:
            messages.success(request, f"Vedtaket for {form.cleaned_data['year']} er registrert.")
            return redirect(reverse("settlement:decision") + f"?year={form.cleaned_data['year']}")
        return self.render_page(request, form, status=400)


class SettlementRegistrationView(RoleRequiredMixin, ServiceFormMixin, View):
    """Register settlement dates (bosettingsdato) for households assigned to the municipality."""

    permission = "settlement.municipality_pages"

    def render_page(self, request, bound=None, status=200):
        data = {"q": str(bound[0])} if bound else request.GET
        filterset = HouseholdSearchFilterSet(data, queryset=selectors.households_for(self.actor).filter(
            status=HouseholdStatus.ASSIGNED).prefetch_related("persons"))
        table = SettlementRegistrationTable(filterset.qs)
        RequestConfig(request, paginate={"paginator_class": VersionedCountPaginator}).configure(table)
        households = [row.record for row in table.page.object_list]
        for h in households:
            h.form = bound[1] if bound and bound[0] == h.pk else SettlementDatesForm(persons=h.persons.all(), prefix=f"h{h.pk}")
        recent = selectors.households_for(self.actor).filter(status=HouseholdStatus.SETTLED).order_by("-settled_on")[:20]
        return render(request, "settlement/settlement_registration.html", {
            "municipality": municipality_of(self.actor), "households": households, "table": table, "filter": filterset,
            "recent": recent, "today": timezone.localdate(), "errors": error_summary(bound[1]) if bound else [],
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


def decision_history(municipality, decisions):
    """Every recorded change, newest first, and each current decision that its history does not show as it
    stands now (a decision written without a history row, e.g. bulk-loaded): the current figure is never missing."""
    rows = list(MunicipalDecision.history.filter(municipality_id=municipality.pk).select_related("history_user")
                .order_by("-history_date"))
    latest = {}
    for row in rows:
        latest.setdefault(row.year, row)
    for d in decisions:
        last = latest.get(d.year)
        if last is None or (last.places, last.unaccompanied_minors) != (d.places, d.unaccompanied_minors):
            rows.append(SimpleNamespace(history_date=None, year=d.year,
                                        places=d.places, unaccompanied_minors=d.unaccompanied_minors,
                                        history_type="=", history_user=None))
    # Current figures without a history row first, then the changes newest first.
    return sorted(rows, key=lambda r: (r.history_type != "=", -(r.year if r.history_type == "=" else 0)))
