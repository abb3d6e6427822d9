"""The household page (husstand), shared by IMDi and the municipality that has the case."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from core.errors import Forbidden
from core.formatting import count_noun
from core.roles import RoleRequiredMixin
from core.views import ServiceFormMixin

from .. import selectors, services, workflows
from ..forms import AcceptForm, AssignForm, DeclineForm, ExitForm, SettlementDatesForm, WithdrawForm
from ..models import ExitReason, HouseholdEvent, HouseholdStatus, Proposal, ProposalStatus
from .common import SUCCESS_MESSAGES

# Actions that are hard to undo: a summary of their consequences is confirmed first.
CONFIRM_ACTIONS = {"exit", "withdraw"}


class HouseholdDetailView(RoleRequiredMixin, ServiceFormMixin, View):
    """Husstand: members, proposals, timeline and the actions the user's role allows."""

    permission = "settlement.view_cases"
    template_name = "settlement/household_detail.html"

    def forms_for(self, household, data=None, action=None):
        """A form for each action the household workflow offers this user now (settlement.workflows)."""
        today = timezone.localdate()
        forms = {}
        for name in workflows.available_actions(household, self.actor):
            bound = data if action == name else None
            if name == "assign":
                forms[name] = AssignForm(bound, initial={"assigned_on": today}, prefix=name)
            elif name == "withdraw":
                forms[name] = WithdrawForm(bound, prefix=name)
            elif name == "exit":
                forms[name] = ExitForm(bound, initial={"exited_on": today}, prefix=name)
            elif name == "accept":
                forms[name] = AcceptForm(bound, prefix=name)
            elif name == "decline":
                forms[name] = DeclineForm(bound, prefix=name)
            elif name == "settle":
                forms[name] = SettlementDatesForm(bound, persons=household.persons.all(), prefix=name)
        return forms

    def render_page(self, request, household, forms, status=200):
        today = timezone.localdate()
        # Another municipality's answers about this household are not this municipality's business (visible_to).
        proposals = (Proposal.objects.visible_to(self.actor).filter(household=household)
                     .select_related("municipality", "distribution_list").order_by("-id"))
        events = HouseholdEvent.objects.visible_to(self.actor).filter(household=household).select_related("actor", "municipality")
        capacity = None
        if household.municipality_id and household.settlement_year:
            capacity = selectors.shown_capacity(household.municipality_id, household.settlement_year)
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
            raise Forbidden("Handlingen er ikke tilgjengelig for denne husstanden.", code="action_not_available")
        if form.is_valid() and action in CONFIRM_ACTIONS and not request.POST.get("confirmed"):
            return self.render_confirmation(request, household, action, form)
        if form.is_valid() and self.call_service(form, self.perform, action, household, form)[0]:
            messages.success(request, SUCCESS_MESSAGES[action])
            return redirect("settlement:household", pk=household.pk)
        return self.render_page(request, household, forms, status=400)

    def render_confirmation(self, request, household, action, form):
        """A summary of what the action changes, with the same input posted again when confirmed."""
        live = (household.proposals.filter(status__in=[ProposalStatus.PENDING, ProposalStatus.ACCEPTED])
                .select_related("municipality").first())
        persons = count_noun(household.size, "person", "personer")
        consequences = []
        if live:
            consequences.append(f"Forslaget til {live.municipality.name} (fordelingsliste #{live.distribution_list_id}) trekkes, "
                                f"og kommunen får {persons} ledig kapasitet tilbake.")
        if action == "exit":
            d = form.cleaned_data
            consequences += [
                f"Husstanden ({persons}) tas ut av bosettingsløpet: årsak «{ExitReason(d['reason']).label}», "
                f"dato {d['exited_on']:%d.%m.%Y}.",
                "Husstanden forsvinner fra arbeidskøen og kan ikke foreslås for kommuner etterpå.",
            ]
            if household.municipality_id and household.status == HouseholdStatus.ASSIGNED:
                consequences.append(f"Utsøkingen til {household.municipality.name} oppheves.")
        else:
            consequences.append("Husstanden blir bosettingsklar igjen og kan foreslås for en annen kommune.")
        hidden = [(name, value) for name, value in request.POST.items() if name not in ("csrfmiddlewaretoken", "confirmed")]
        return render(request, "settlement/confirm_action.html", {
            "household": household, "action": action, "consequences": consequences, "hidden": hidden,
            "title": {"exit": "Ta husstanden ut av bosettingsløpet?", "withdraw": "Trekke forslaget?"}[action],
            "button": {"exit": "Ja, ta ut av bosettingsløpet", "withdraw": "Ja, trekk forslaget"}[action],
        })

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


class PersonDetailView(RoleRequiredMixin, View):
    permission = "settlement.view_cases"

    def get(self, request, pk):
        person = get_object_or_404(selectors.persons_for(self.actor).select_related("household"), pk=pk)
        return redirect(reverse("settlement:household", args=[person.household_id]) + f"#person-{person.pk}")
