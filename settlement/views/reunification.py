"""Pages for family reunification, transfers between regional offices and unaccompanied minors (issue 12).

- Familiegjenforening (IMDi): link a ready household to a settled reference person, then assign it straight to
  that person's municipality (services.reunification).
- Overføring (IMDi): move a household to another regional office (services.transfers).
- Enslige mindreårige (IMDi and Bufetat): the minors by age group (under 15, 15-18), the under-15 group that
  Bufetat proposes and follows with IMDi, and a proposal form (the same propose service).
- Refusjon (IMDi and Bufetat): per municipality, the unaccompanied minors settled in a year, the basis of
  Bufetat's refund of the municipalities' child-welfare costs (lines 4218-4223).
"""

from collections import defaultdict
from datetime import date, timedelta

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views import View

from core import policy
from core.errors import Forbidden
from core.forms import DateInput
from core.models import Municipality, Region
from core.params import year_param
from core.roles import RoleRequiredMixin
from core.views import ServiceFormMixin

from .. import selectors, services
from ..definitions import (AGE_15_18, AGE_GROUPS, UNDER_15, age_group, age_group_q, age_on, bufetat_minors_q, placement,
                           settled_q)
from ..models import ACTIVE_STATUSES, Composition, HouseholdEvent, HouseholdStatus, Person


# -- forms ------------------------------------------------------------------------------------------------------------

class LinkForm(forms.Form):
    reference_duf = forms.CharField(label="DUF-nummer til referansepersonen", max_length=20,
                                    help_text="Personen familien gjenforenes med. Vedkommende må være bosatt i en kommune.")
    note = forms.CharField(label="Merknad", required=False, max_length=500)


class ReunifyAssignForm(forms.Form):
    assigned_on = forms.DateField(label="Dato søkt ut", widget=DateInput())


class TransferForm(forms.Form):
    region = forms.ModelChoiceField(label="Til regionkontor", queryset=Region.objects.order_by("name"),
                                    empty_label="— velg regionkontor —")
    note = forms.CharField(label="Begrunnelse", required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, household=None, **kwargs):
        super().__init__(*args, **kwargs)
        if household is not None:
            self.fields["region"].queryset = Region.objects.exclude(pk=household.region_id).order_by("name")


class MinorProposalForm(forms.Form):
    municipality = forms.ModelChoiceField(label="Kommune", queryset=Municipality.objects.order_by("name"),
                                          empty_label="— velg kommune —")
    year = forms.IntegerField(label="Bosettingsår", min_value=2000, max_value=2100)
    reply_deadline = forms.DateField(label="Svarfrist", widget=DateInput())
    note = forms.CharField(label="Merknad til kommunen", required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 2}))
    households = forms.TypedMultipleChoiceField(label="Enslige mindreårige", coerce=int, required=False,
                                                widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, household_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["households"].choices = [(h.pk, f"{h} – {h.head_name}") for h in household_choices]


# -- family reunification and transfer ----------------------------------------------------------------------------------

class ReunificationView(RoleRequiredMixin, ServiceFormMixin, View):
    """Familiegjenforening for one household: link to the reference person, then assign directly."""

    permission = "settlement.reunify"
    template_name = "settlement/reunification.html"

    def render_page(self, request, household, link_form, assign_form, status=200):
        reference = household.reference_person
        return render(request, self.template_name, {
            "household": household, "reference": reference, "link_form": link_form, "assign_form": assign_form,
            "reference_household": reference.household if reference else None,
            "can_assign": reference is not None and household.status == HouseholdStatus.READY,
        }, status=status)

    def get(self, request, pk):
        household = selectors.get_household(self.actor, pk)
        return self.render_page(request, household, LinkForm(),
                                ReunifyAssignForm(initial={"assigned_on": timezone.localdate()}))

    def post(self, request, pk):
        household = selectors.get_household(self.actor, pk)
        action = request.POST.get("action", "link")
        link_form = LinkForm(request.POST if action == "link" else None)
        assign_form = ReunifyAssignForm(request.POST if action == "assign" else None,
                                        initial={"assigned_on": timezone.localdate()})
        form = assign_form if action == "assign" else link_form
        if form.is_valid():
            d = form.cleaned_data
            if action == "assign":
                ok, _ = self.call_service(form, services.assign_reunified, self.actor, household,
                                          assigned_on=d["assigned_on"])
                message = "Husstanden er søkt ut direkte til referansepersonens kommune."
            else:
                ok, _ = self.call_service(form, services.link_reunification, self.actor, household,
                                          reference_duf=d["reference_duf"], note=d["note"])
                message = "Husstanden er knyttet til referansepersonen."
            if ok:
                messages.success(request, message)
                return redirect("settlement:household", pk=household.pk)
        household.refresh_from_db()
        return self.render_page(request, household, link_form, assign_form, status=400)


class TransferView(RoleRequiredMixin, ServiceFormMixin, View):
    """Overfør husstanden til et annet regionkontor."""

    permission = "settlement.transfer"
    template_name = "settlement/transfer.html"

    def get(self, request, pk):
        household = selectors.get_household(self.actor, pk)
        return render(request, self.template_name, {"household": household, "form": TransferForm(household=household)})

    def post(self, request, pk):
        household = selectors.get_household(self.actor, pk)
        form = TransferForm(request.POST, household=household)
        if form.is_valid():
            d = form.cleaned_data
            ok, _ = self.call_service(form, services.transfer_household, self.actor, household, region=d["region"],
                                      note=d["note"])
            if ok:
                messages.success(request, f"Husstanden er overført til {d['region']}.")
                # The old region's caseworker no longer sees the household: back to the work queue.
                if policy.can(self.actor, "settlement.view_work_queue") and not selectors.households_for(
                        self.actor).filter(pk=household.pk).exists():
                    return redirect("settlement:work_queue")
                return redirect("settlement:household", pk=household.pk)
        return render(request, self.template_name, {"household": household, "form": form}, status=400)


# -- unaccompanied minors: age groups, Bufetat's group, proposals ---------------------------------------------------------

def _minor_households(actor):
    return (selectors.households_for(actor).filter(composition=Composition.UNACCOMPANIED_MINOR)
            .select_related("municipality", "region", "reception_centre").prefetch_related("persons")
            .order_by("waiting_since", "id"))


def age_group_counts(persons) -> dict:
    """Persons per age group (on the residence permit day) and household status: {group: {status: n, "total": n}}."""
    rows = (persons.values("household__status")
            .annotate(under_15=Count("id", filter=age_group_q(UNDER_15)), age_15_18=Count("id", filter=age_group_q(AGE_15_18))))
    table = {g: defaultdict(int) for g in AGE_GROUPS}
    for r in rows:
        for group, key in ((UNDER_15, "under_15"), (AGE_15_18, "age_15_18")):
            table[group][r["household__status"]] += r[key]
            table[group]["total"] += r[key]
    return table


class MinorsView(RoleRequiredMixin, ServiceFormMixin, View):
    """Enslige mindreårige: the age groups, the households, and proposing the under-15 group to a municipality."""

    permission = "settlement.follow_minors"
    template_name = "settlement/minors.html"

    def context(self, form=None):
        today = timezone.localdate()
        households = list(_minor_households(self.actor))
        bufetat_ids = set(_minor_households(self.actor).filter(bufetat_minors_q()).values_list("pk", flat=True))
        for h in households:
            members = list(h.persons.all())
            h.head_name = members[0].full_name if members else "–"
            h.groups = sorted({AGE_GROUPS.get(age_group(p.birth_date, p.residence_permit_date), "Voksen") for p in members})
            h.bufetat = h.pk in bufetat_ids
            h.age_today = min((age_on(p.birth_date, today) for p in members), default=None)
        ready = [h for h in households if h.status == HouseholdStatus.READY
                 and (h.bufetat or self.actor.role != policy.AGENCY)]
        if form is None:
            form = MinorProposalForm(household_choices=ready, initial={
                "year": today.year, "reply_deadline": today + timedelta(days=14)})
        events = {}
        for e in (HouseholdEvent.objects.visible_to(self.actor).filter(household__in=[h.pk for h in households])
                  .order_by("household_id", "-at", "-id")):
            events.setdefault(e.household_id, e)
        for h in households:
            h.last_event = events.get(h.pk)
        persons = Person.objects.filter(household__in=[h.pk for h in households])
        counts = age_group_counts(persons)
        statuses = [(s.value, s.label) for s in HouseholdStatus]
        return {
            "households": households, "form": form, "can_propose": policy.can(self.actor, "settlement.propose_minors"),
            "counts": [(AGE_GROUPS[g], [counts[g][s] for s, _ in statuses], counts[g]["total"]) for g in AGE_GROUPS],
            "statuses": statuses, "active": set(ACTIVE_STATUSES), "is_agency": self.actor.role == policy.AGENCY,
        }

    def get(self, request):
        return render(request, self.template_name, self.context())

    def post(self, request):
        if not policy.can(self.actor, "settlement.propose_minors"):
            raise Forbidden("Du har ikke tilgang til å foreslå.", code="role_not_allowed")
        ctx = self.context()
        choices = [h for h in ctx["households"] if h.status == HouseholdStatus.READY]
        form = MinorProposalForm(request.POST, household_choices=choices)
        if form.is_valid():
            d = form.cleaned_data
            ok, dlist = self.call_service(
                form, services.propose_households, self.actor, municipality=d["municipality"],
                household_ids=d["households"], reply_deadline=d["reply_deadline"], year=d["year"], note=d["note"])
            if ok:
                messages.success(request, f"Forslaget er sendt til {dlist.municipality.name} (fordelingsliste {dlist.pk}).")
                return redirect("settlement:minors")
        return render(request, self.template_name, self.context(form), status=400)


# -- the refund basis per municipality ----------------------------------------------------------------------------------

def minors_settled_by_municipality(year: int) -> list[dict]:
    """Unaccompanied minors settled in a year, per municipality of settlement and age group (on the residence
    permit day): persons by their own settlement date, placed as every report places them (definitions.placement)."""
    persons = placement(Person.objects.filter(settled_q(date(year, 1, 1), date(year, 12, 31)),
                                              household__composition=Composition.UNACCOMPANIED_MINOR))
    rows = (persons.filter(placed_municipality__isnull=False).values("placed_municipality")
            .annotate(under_15=Count("id", filter=age_group_q(UNDER_15)), age_15_18=Count("id", filter=age_group_q(AGE_15_18)),
                      total=Count("id")))
    names = dict((m.pk, m) for m in Municipality.objects.filter(pk__in=[r["placed_municipality"] for r in rows]))
    result = [{"municipality": names[r["placed_municipality"]], "under_15": r["under_15"], "age_15_18": r["age_15_18"],
               "total": r["total"]} for r in rows]
    return sorted(result, key=lambda r: r["municipality"].number)


class MinorRefundView(RoleRequiredMixin, View):
    """Refusjon for enslige mindreårige: read-only, per municipality."""

    permission = "settlement.view_minor_refunds"

    def get(self, request):
        year = year_param(request.GET)
        rows = minors_settled_by_municipality(year)
        totals = {k: sum(r[k] for r in rows) for k in ("under_15", "age_15_18", "total")}
        return render(request, "settlement/minor_refunds.html", {"rows": rows, "totals": totals, "year": year})
