"""Grant pages: schemes and budgets, quarterly claims with decision letters and payment files,
applications with their workflow. Which steps a user may take comes from workflows.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django_tables2 import RequestConfig

from core import formatting, policy
from core.jobs import enqueue
from core.models import Municipality
from core.params import year_param
from core.roles import RoleRequiredMixin
from core.views import ServiceFormMixin

from . import selectors, services
from .entitlements import previous_quarter
from .forms import ApplicationForm, AssessForm, DecideForm, PayForm, PeriodForm, ReportForm
from .models import PaymentBatch
from .tables import PER_PAGE, ApplicationFilter, ApplicationTable, ClaimFilter, ClaimTable, table_csv
from .tasks import build_quarter_claims
from .workflows import APPLICATION, CLAIM

class SchemeListView(RoleRequiredMixin, View):
    """Tilskuddsordninger: budget, committed and left per scheme and year (aggregates only)."""

    permission = "grants.view_schemes"

    def get(self, request):
        year = year_param(request.GET)
        return render(request, "grants/schemes.html", {
            "years": selectors.scheme_overview(year), "year": year, "all_years": selectors.budget_years()})


class ClaimListView(RoleRequiredMixin, ServiceFormMixin, View):
    permission = "grants.view_claims"

    def render_page(self, request, form, status=200):
        filterset = ClaimFilter(request.GET, queryset=selectors.claims_for(self.actor))
        table = ClaimTable(filterset.qs)
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
        return render(request, "grants/claims.html", {
            "table": table, "filter": filterset, "form": form, "batches": selectors.recent_batches(self.actor),
            "can_pay": CLAIM.may("pay", self.actor),
        }, status=status)

    def get(self, request):
        if request.GET.get("format") == "csv":
            table = ClaimTable(ClaimFilter(request.GET, queryset=selectors.claims_for(self.actor)).qs)
            RequestConfig(request, paginate=False).configure(table)
            return table_csv(table, "tilskuddskrav.csv")
        year, quarter = previous_quarter(timezone.localdate())
        return self.render_page(request, PeriodForm(initial={"year": year, "quarter": quarter}))

    def post(self, request):
        policy.require(self.actor, "grants.calculate_claims")
        form = PeriodForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, form, status=400)
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
        if request.POST.get("action") == "pay":
            ok, batch = self.call_service(form, services.create_payment_batch, self.actor, year=year, quarter=quarter)
            if ok:
                messages.success(request, f"Utbetalingsfil laget: {batch.claims.count()} krav.")
                return redirect("grants:batch", pk=batch.pk)
            return self.render_page(request, form, status=400)
        enqueue(build_quarter_claims, year, quarter)
        messages.success(request, f"Kravene for {quarter}. kvartal {year} beregnes. Oppdater siden om litt.")
        return redirect(reverse("grants:claims") + f"?year={year}&quarter={quarter}")


class ClaimDetailView(RoleRequiredMixin, ServiceFormMixin, View):
    permission = "grants.view_claims"

    CONFIRM = "godkjenn"  # ?godkjenn=1: the confirmation step before an approval

    def get(self, request, pk, letter=False):
        claim = get_object_or_404(selectors.claims_for(self.actor), pk=pk)
        actions = CLAIM.available(claim, self.actor)
        context = {"claim": claim, "summary": selectors.claim_summary(claim), "today": timezone.localdate(), "actions": actions}
        if letter:
            return render(request, "grants/claim_letter.html", context)
        if request.GET.get(self.CONFIRM) and "approve" in actions:
            # Approving commits the money (a quarter's claim can be 130 million kroner): say what, to whom, for when.
            return render(request, "grants/claim_confirm.html", context)
        lines = claim.lines.select_related("scheme", "person")[:500]
        return render(request, "grants/claim_detail.html", {**context, "lines": lines})

    def post(self, request, pk, letter=False):
        if letter:  # the decision letter is a page to read, not a form
            return self.http_method_not_allowed(request)
        policy.require(self.actor, "grants.approve_claim")
        claim = get_object_or_404(selectors.claims_for(self.actor), pk=pk)
        if request.POST.get("confirm") != "ja":  # not from the confirmation page: show it, change nothing
            return redirect(reverse("grants:claim", args=[claim.pk]) + f"?{self.CONFIRM}=1")
        form = forms.Form(request.POST)
        if self.call_service(form, services.approve_claim, self.actor, claim)[0]:
            messages.success(request, f"Kravet fra {claim.municipality.name} for {claim.quarter}. kvartal {claim.year} "
                                      f"er godkjent: {formatting.kroner(claim.total, 2)}.")
        else:
            messages.error(request, " ".join(form.non_field_errors()))
        return redirect("grants:claim", pk=claim.pk)


class BatchView(RoleRequiredMixin, View):
    permission = "grants.view_batches"

    def get(self, request, pk):
        batch = get_object_or_404(PaymentBatch.objects.visible_to(self.actor), pk=pk)
        if request.GET.get("download"):
            response = HttpResponse(batch.file_content, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="utbetaling-{batch.year}-K{batch.quarter}-{batch.pk}.csv"'
            return response
        return render(request, "grants/batch.html", {"batch": batch, "claims": batch.claims.select_related("municipality")})


class ApplicationListView(RoleRequiredMixin, ServiceFormMixin, View):
    permission = "grants.view_applications"

    def render_page(self, request, form, status=200):
        filterset = ApplicationFilter(request.GET, queryset=selectors.applications_for(self.actor))
        table = ApplicationTable(filterset.qs)
        RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
        return render(request, "grants/applications.html", {
            "table": table, "filter": filterset, "form": form,
            "can_apply": policy.can(self.actor, "grants.submit_application") and (self.actor.is_imdi or self.actor.can_write),
        }, status=status)

    def get(self, request):
        if request.GET.get("format") == "csv":
            table = ApplicationTable(ApplicationFilter(request.GET, queryset=selectors.applications_for(self.actor)).qs)
            RequestConfig(request, paginate=False).configure(table)
            return table_csv(table, "tilskuddssoknader.csv")
        return self.render_page(request, ApplicationForm(actor=self.actor))

    def post(self, request):
        form = ApplicationForm(request.POST, actor=self.actor)
        if form.is_valid():
            d = form.cleaned_data
            municipality = Municipality.objects.get(pk=self.actor.municipality_id) if self.actor.is_municipality else None
            ok, application = self.call_service(
                form, services.submit_application, self.actor, grant_year=d["grant_year"], title=d["title"],
                description=d["description"], amount_requested=d["amount_requested"], municipality=municipality,
                applicant_name=d.get("applicant_name", ""))
            if ok:
                messages.success(request, "Søknaden er sendt.")
                return redirect("grants:application", pk=application.pk)
        return self.render_page(request, form, status=400)


class ApplicationDetailView(RoleRequiredMixin, ServiceFormMixin, View):
    permission = "grants.view_applications"
    # Each form on the page and the workflow actions it performs (the decision form grants or rejects).
    forms = {"assess": (AssessForm, {"assess"}), "decide": (DecideForm, {"grant", "reject"}),
             "pay": (PayForm, {"pay"}), "report": (ReportForm, {"report"})}

    def forms_for(self, app, data=None, action=None):
        """The forms for the actions the workflow allows this user now; the posted one bound."""
        available = APPLICATION.available(app, self.actor)
        initial = {"assess": {"recommended_amount": app.amount_requested}, "decide": {"amount": app.recommended_amount}}
        return {name: form_class(data if name == action else None, initial=initial.get(name))
                for name, (form_class, actions) in self.forms.items() if actions & available}

    def render_page(self, request, app, forms_, status=200):
        return render(request, "grants/application_detail.html", {
            "app": app, "forms": forms_, "history": app.history.select_related("history_user").order_by("history_date"),
            "left": selectors.budget_left(app.grant_year) if self.actor.is_imdi else None,
        }, status=status)

    def get(self, request, pk):
        app = get_object_or_404(selectors.applications_for(self.actor), pk=pk)
        return self.render_page(request, app, self.forms_for(app))

    def post(self, request, pk):
        app = get_object_or_404(selectors.applications_for(self.actor), pk=pk)
        action = request.POST.get("action")
        forms_ = self.forms_for(app, request.POST, action)
        form = forms_.get(action)
        if form is None:
            raise PermissionDenied("Handlingen er ikke tilgjengelig.")
        if form.is_valid() and self.call_service(form, self.perform, action, app, form.cleaned_data)[0]:
            messages.success(request, "Lagret.")
            return redirect("grants:application", pk=app.pk)
        return self.render_page(request, app, forms_, status=400)

    def perform(self, action, app, d):
        if action == "assess":
            services.assess_application(self.actor, app, assessment=d["assessment"], recommended_amount=d["recommended_amount"])
        elif action == "decide":
            services.decide_application(self.actor, app, grant=d["decision"] == "grant", amount=d["amount"], reason=d["reason"])
        elif action == "pay":
            services.pay_application(self.actor, app)
        elif action == "report":
            services.report_on_grant(self.actor, app, report=d["report"], amount_used=d["amount_used"])
