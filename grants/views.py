"""Grant pages: schemes and budgets, quarterly claims with decision letters and payment files,
applications with their workflow."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from core.models import Role
from core.params import year_param
from core.roles import IMDI_ROLES, RoleRequiredMixin
from core.views import ServiceFormMixin
from core.jobs import enqueue

from . import services
from .entitlements import quarter_of
from .models import ApplicationStatus, GrantApplication, GrantClaim, GrantYear, PaymentBatch, SchemeKind
from .tasks import build_quarter_claims

ALL = IMDI_ROLES + (Role.MUNICIPALITY, Role.MINISTRY)


class PeriodForm(forms.Form):
    year = forms.IntegerField(label="År", min_value=2000, max_value=2100)
    quarter = forms.IntegerField(label="Kvartal", min_value=1, max_value=4)


class ApplicationForm(forms.Form):
    grant_year = forms.ModelChoiceField(label="Ordning", queryset=GrantYear.objects.none())
    applicant_name = forms.CharField(label="Søker (organisasjon)", required=False, max_length=200)
    title = forms.CharField(label="Prosjekt", max_length=200)
    description = forms.CharField(label="Beskrivelse", widget=forms.Textarea(attrs={"rows": 4}))
    amount_requested = forms.DecimalField(label="Søkt beløp (kr)", max_digits=12, decimal_places=2)

    def __init__(self, *args, actor=None, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["grant_year"].queryset = GrantYear.objects.filter(
            scheme__kind=SchemeKind.APPLICATION, year=year).select_related("scheme")
        if actor is not None and actor.is_municipality:
            del self.fields["applicant_name"]


class AssessForm(forms.Form):
    assessment = forms.CharField(label="Vurdering", widget=forms.Textarea(attrs={"rows": 3}))
    recommended_amount = forms.DecimalField(label="Anbefalt beløp (kr)", required=False, max_digits=12, decimal_places=2)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label="Vedtak", choices=[("grant", "Innvilg"), ("reject", "Avslå")])
    amount = forms.DecimalField(label="Innvilget beløp (kr)", required=False, max_digits=12, decimal_places=2)
    reason = forms.CharField(label="Begrunnelse", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReportForm(forms.Form):
    report = forms.CharField(label="Rapport: hva ble gjort og oppnådd", widget=forms.Textarea(attrs={"rows": 4}))
    amount_used = forms.DecimalField(label="Brukt beløp (kr)", max_digits=12, decimal_places=2)


def _claims_for(actor):
    qs = GrantClaim.objects.select_related("municipality")
    if actor.is_municipality:
        return qs.filter(municipality_id=actor.municipality_id)
    if actor.is_imdi:
        return qs
    return qs.none()


def _applications_for(actor):
    qs = GrantApplication.objects.select_related("grant_year__scheme", "municipality")
    if actor.is_municipality:
        return qs.filter(municipality_id=actor.municipality_id)
    if actor.is_imdi:
        return qs
    return qs.none()


class SchemeListView(RoleRequiredMixin, View):
    """Tilskuddsordninger: budget, committed and left per scheme and year (aggregates only)."""

    allowed_roles = ALL

    def get(self, request):
        year = year_param(request.GET)
        years = list(GrantYear.objects.filter(year=year).select_related("scheme").order_by("scheme__number"))
        committed = services.committed_by_scheme(year)
        for gy in years:
            gy.committed = committed.get(gy.scheme_id, 0)
            gy.left = gy.budget - gy.committed
            gy.use = round(100 * gy.committed / gy.budget, 1) if gy.budget else None
        all_years = GrantYear.objects.values_list("year", flat=True).distinct().order_by("-year")
        return render(request, "grants/schemes.html", {"years": years, "year": year, "all_years": all_years})


class ClaimListView(RoleRequiredMixin, ServiceFormMixin, View):
    allowed_roles = IMDI_ROLES + (Role.MUNICIPALITY,)

    def render_page(self, request, form, status=200):
        claims = _claims_for(self.actor)
        period = {k: request.GET.get(k) for k in ("year", "quarter") if request.GET.get(k, "").isdigit()}
        claims = claims.filter(**period)
        batches = PaymentBatch.objects.all()[:20] if self.actor.is_imdi else []
        return render(request, "grants/claims.html", {"claims": claims[:300], "form": form, "batches": batches}, status=status)

    def get(self, request):
        today = timezone.localdate()
        q = quarter_of(today)
        initial = {"year": today.year if q > 1 else today.year - 1, "quarter": q - 1 if q > 1 else 4}
        return self.render_page(request, PeriodForm(initial=initial))

    def post(self, request):
        if not self.actor.is_imdi:
            raise PermissionDenied("Bare IMDi kan beregne krav.")
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
    allowed_roles = IMDI_ROLES + (Role.MUNICIPALITY,)

    def get(self, request, pk, letter=False):
        claim = get_object_or_404(_claims_for(self.actor), pk=pk)
        summary = services.claim_summary(claim)
        template = "grants/claim_letter.html" if letter else "grants/claim_detail.html"
        lines = [] if letter else claim.lines.select_related("scheme", "person")[:500]
        return render(request, template, {"claim": claim, "summary": summary, "lines": lines, "today": timezone.localdate()})

    def post(self, request, pk):
        claim = get_object_or_404(_claims_for(self.actor), pk=pk)
        form = forms.Form(request.POST)
        if self.call_service(form, services.approve_claim, self.actor, claim)[0]:
            messages.success(request, "Kravet er godkjent.")
        else:
            messages.error(request, " ".join(form.non_field_errors()))
        return redirect("grants:claim", pk=claim.pk)


class BatchView(RoleRequiredMixin, View):
    allowed_roles = IMDI_ROLES

    def get(self, request, pk):
        batch = get_object_or_404(PaymentBatch, pk=pk)
        if request.GET.get("download"):
            response = HttpResponse(batch.file_content, content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = f'attachment; filename="utbetaling-{batch.year}-K{batch.quarter}-{batch.pk}.csv"'
            return response
        return render(request, "grants/batch.html", {"batch": batch, "claims": batch.claims.select_related("municipality")})


class ApplicationListView(RoleRequiredMixin, ServiceFormMixin, View):
    allowed_roles = IMDI_ROLES + (Role.MUNICIPALITY,)

    def render_page(self, request, form, status=200):
        apps = _applications_for(self.actor)
        if request.GET.get("status"):
            apps = apps.filter(status=request.GET["status"])
        return render(request, "grants/applications.html", {
            "applications": apps[:300], "form": form, "statuses": ApplicationStatus.choices,
            "can_apply": self.actor.is_imdi or self.actor.can_write,
        }, status=status)

    def get(self, request):
        return self.render_page(request, ApplicationForm(actor=self.actor))

    def post(self, request):
        form = ApplicationForm(request.POST, actor=self.actor)
        if form.is_valid():
            d = form.cleaned_data
            municipality = None
            if self.actor.is_municipality:
                from core.models import Municipality

                municipality = Municipality.objects.get(pk=self.actor.municipality_id)
            ok, application = self.call_service(
                form, services.submit_application, self.actor, grant_year=d["grant_year"], title=d["title"],
                description=d["description"], amount_requested=d["amount_requested"], municipality=municipality,
                applicant_name=d.get("applicant_name", ""))
            if ok:
                messages.success(request, "Søknaden er sendt.")
                return redirect("grants:application", pk=application.pk)
        return self.render_page(request, form, status=400)


class ApplicationDetailView(RoleRequiredMixin, ServiceFormMixin, View):
    allowed_roles = IMDI_ROLES + (Role.MUNICIPALITY,)
    actions = {"assess": AssessForm, "decide": DecideForm, "report": ReportForm, "pay": forms.Form}

    def forms_for(self, app, data=None, action=None):
        bound = lambda name: data if name == action else None  # noqa: E731
        result = {}
        if self.actor.is_imdi and app.status == ApplicationStatus.SUBMITTED:
            result["assess"] = AssessForm(bound("assess"), initial={"recommended_amount": app.amount_requested})
        if self.actor.is_admin and app.status == ApplicationStatus.ASSESSED:
            result["decide"] = DecideForm(bound("decide"), initial={"amount": app.recommended_amount})
        if self.actor.is_admin and app.status == ApplicationStatus.GRANTED:
            result["pay"] = forms.Form(bound("pay"))
        if app.status == ApplicationStatus.PAID and (self.actor.can_write or (self.actor.is_imdi and not app.municipality_id)):
            result["report"] = ReportForm(bound("report"))
        return result

    def render_page(self, request, app, forms_, status=200):
        return render(request, "grants/application_detail.html", {
            "app": app, "forms": forms_, "history": app.history.select_related("history_user").order_by("history_date"),
            "left": app.grant_year.budget - services.committed(app.grant_year) if self.actor.is_imdi else None,
        }, status=status)

    def get(self, request, pk):
        app = get_object_or_404(_applications_for(self.actor), pk=pk)
        return self.render_page(request, app, self.forms_for(app))

    def post(self, request, pk):
        app = get_object_or_404(_applications_for(self.actor), pk=pk)
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
