"""The reception centre's pages (mottak): its settlement-ready residents and their settlement interviews; and the
caseworker's override for proposing a household without one."""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View

from core.models import ReceptionCentre
from core.roles import RoleRequiredMixin
from core.views import ServiceFormMixin

from .. import selectors
from ..interview_forms import InterviewForm, InterviewWaiverForm
from ..interview_models import SettlementInterview
from ..models import Person
from ..services import interviews
from .common import error_summary


class ReceptionHouseholdsView(RoleRequiredMixin, View):
    """Mottak: the households living at the user's centre, each person with their interview."""

    permission = "settlement.reception_pages"

    def get(self, request):
        today = timezone.localdate()
        centre = get_object_or_404(ReceptionCentre, pk=self.actor.reception_centre_id)
        households = list(
            selectors.households_for(self.actor).select_related("interview_waiver")
            .prefetch_related(Prefetch("persons", queryset=Person.objects.select_related("interview")))
            .order_by("waiting_since", "id"))
        for h in households:
            h.interview_state = interviews.interview_status(h, today)
            h.to_interview = {p.pk for p in interviews.persons_to_interview(h, today)}
        return render(request, "settlement/reception_households.html",
                      {"centre": centre, "households": households, "today": today})


class InterviewView(RoleRequiredMixin, ServiceFormMixin, View):
    """Register or edit one person's settlement interview and consent (bosettingssamtale)."""

    permission = "settlement.register_interview"

    def get_person(self, pk) -> Person:
        try:
            return selectors.persons_for(self.actor).select_related("household").get(pk=pk)
        except (Person.DoesNotExist, ValueError):
            raise Http404("Fant ikke personen.")

    def render_page(self, request, person, form, status=200):
        interview = SettlementInterview.objects.filter(person=person).first()
        return render(request, "settlement/interview_form.html", {
            "person": person, "household": person.household, "form": form, "interview": interview,
            "errors": error_summary(form),
        }, status=status)

    def get(self, request, pk):
        person = self.get_person(pk)
        interview = SettlementInterview.objects.filter(person=person).first()
        return self.render_page(request, person, InterviewForm(initial=InterviewForm.initial_for(interview, self.actor)))

    def post(self, request, pk):
        person = self.get_person(pk)
        form = InterviewForm(request.POST)
        if form.is_valid() and self.call_service(form, interviews.register_interview, self.actor, person,
                                                 **form.cleaned_data)[0]:
            messages.success(request, f"Bosettingssamtalen for {person.full_name} er lagret.")
            return redirect("settlement:reception")
        return self.render_page(request, person, form, status=400)


class InterviewWaiverView(RoleRequiredMixin, ServiceFormMixin, View):
    """The caseworker lets a household be proposed without a registered interview, with a reason (logged)."""

    permission = "settlement.waive_interview"

    def render_page(self, request, household, form, status=200):
        state = interviews.interview_status(household, timezone.localdate())
        missing = interviews.persons_without_interview(household, timezone.localdate())
        return render(request, "settlement/interview_waiver.html", {
            "household": household, "form": form, "state": state, "missing": missing, "errors": error_summary(form),
        }, status=status)

    def get(self, request, pk):
        return self.render_page(request, selectors.get_household(self.actor, pk), InterviewWaiverForm())

    def post(self, request, pk):
        household = selectors.get_household(self.actor, pk)
        form = InterviewWaiverForm(request.POST)
        if form.is_valid() and self.call_service(form, interviews.waive_interview, self.actor, household,
                                                 reason=form.cleaned_data["reason"])[0]:
            messages.success(request, "Unntaket er registrert. Husstanden kan foreslås uten bosettingssamtale.")
            return redirect("settlement:household", pk=household.pk)
        return self.render_page(request, household, form, status=400)
