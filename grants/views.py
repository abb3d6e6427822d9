"""Grant pages: schemes and budgets, quarterly claims with decision letters and payment files,
applications with their workflow. Which steps a user may take comes from workflows.py."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404, HttpResponse
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
from . import letters
from .forms import (
    ApplicationForm,
    AssessForm,
    DecideForm,
    DisputeForm,
    HoursForm,
    PayForm,
    PeriodForm,
    ProgrammeForm,
    RejectDisputeForm,
    ReportForm,
    ResolveDisputeForm,
    SelfSettlementForm,
)
from .models import ClaimStatus, DisputeStatus, GrantApplication, GrantClaimLine, PaymentBatch
from .tables import PER_PAGE, ApplicationFilter, ApplicationTable, ClaimFilter, ClaimTable, table_csv
from .tasks import build_quarter_claims
from .workflows import APPLICATION, CLAIM, DISPUTE

class SchemeListView(RoleRequiredMixin, View):
    """Tilskuddsordninger: budget, committed and left per scheme and year (aggregates only)."""

    permission = "grants.view_schemes"

    def get(self, request):
        year = year_param(request.GET)
        return render(request, "grants/schemes.html", {
            "years": selectors.scheme_forecast(year), "year": year, "all_years": selectors.budget_years()})


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
    lines_per_page = 100

    def context(self, claim):
        actions = CLAIM.available(claim, self.actor) - {"supersede"}  # a new version comes from a resolved dispute
        today = timezone.localdate()
        refusal = services.letter_refusal(claim, today)
        return {"claim": claim, "summary": selectors.claim_summary(claim), "today": today, "actions": actions,
                "letter_refusal": refusal.messages[0] if refusal else None,
                "can_send_letter": policy.can(self.actor, "grants.send_letter") and refusal is None,
                "can_dispute": claim.is_current and policy.may_write(self.actor, "grants.dispute_claim"),
                "warnings": selectors.claim_warnings(claim) if self.actor.is_imdi else [],
                "versions": selectors.claim_versions(claim),
                "disputes": selectors.disputes_for(self.actor).filter(claim__municipality_id=claim.municipality_id,
                                                                        claim__year=claim.year, claim__quarter=claim.quarter),
                "letters": claim.letters.defer("pdf").order_by("-created_at")}

    def get(self, request, pk):
        claim = get_object_or_404(selectors.claims_for(self.actor), pk=pk)
        context = self.context(claim)
        if request.GET.get(self.CONFIRM) and "approve" in context["actions"]:
            # Approving commits the money (a quarter's claim can be 130 million kroner): say what, to whom, for when.
            return render(request, "grants/claim_confirm.html", context)
        # Paged (issue 14): a claim of a large municipality has thousands of lines (only the first 500 were listed,
        # at 0.15 s a page at demo scale 5); the summary above holds the claim's totals.
        lines = Paginator(claim.lines.select_related("scheme", "person__household").prefetch_related("disputes"),
                          self.lines_per_page).get_page(request.GET.get("side"))
        return render(request, "grants/claim_detail.html", {**context, "lines": lines, "lines_page": lines})

    def post(self, request, pk):
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


class ClaimLetterView(RoleRequiredMixin, View):
    """The decision letter as a PDF: the one sent (kept, with its checksum) or, before sending, as it would be.
    Only for an approved claim of an ended quarter; otherwise the claim page says why (no letter is made)."""

    permission = "grants.view_claims"

    def get(self, request, pk):
        claim = get_object_or_404(selectors.claims_for(self.actor).select_related("municipality__region"), pk=pk)
        sent = claim.letters.order_by("-created_at").first()
        if sent is not None:
            pdf = bytes(sent.pdf)
        else:
            try:
                pdf = services.decision_letter_pdf(claim)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect("grants:claim", pk=claim.pk)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{letters.letter_filename(claim)}"'
        return response

    def post(self, request, pk):
        """Send the letter: make it, keep it and e-mail it to the municipality (IMDi, the region's caseworker; the service
        checks who)."""
        claim = get_object_or_404(selectors.claims_for(self.actor), pk=pk)
        try:
            letter = services.send_decision_letter(self.actor, claim)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("grants:claim", pk=claim.pk)
        messages.success(request, f"Vedtaksbrevet er laget og sendes til {letter.recipient}.")
        return redirect("grants:claim", pk=claim.pk)


class DisputeCreateView(RoleRequiredMixin, ServiceFormMixin, View):
    """A municipality's writer disputes a line of its own claim, with a reason."""

    permission = "grants.dispute_claim"

    def line(self, pk, line_id):
        claim = get_object_or_404(selectors.claims_for(self.actor), pk=pk)
        policy.require_municipality_writer(self.actor, "grants.dispute_claim", claim.municipality_id)  # read-only: 403
        return claim, get_object_or_404(GrantClaimLine.objects.select_related("scheme", "person"), claim=claim, pk=line_id)

    def get(self, request, pk, line_id):
        claim, line = self.line(pk, line_id)
        return render(request, "grants/dispute_form.html", {"claim": claim, "line": line, "form": DisputeForm()})

    def post(self, request, pk, line_id):
        claim, line = self.line(pk, line_id)
        form = DisputeForm(request.POST)
        if form.is_valid():
            ok, dispute = self.call_service(form, services.dispute_claim_line, self.actor, line, reason=form.cleaned_data["reason"])
            if ok:
                messages.success(request, "Innsigelsen er sendt til IMDi.")
                return redirect("grants:dispute", pk=dispute.pk)
        return render(request, "grants/dispute_form.html", {"claim": claim, "line": line, "form": form}, status=400)


class DisputeListView(RoleRequiredMixin, View):
    """Disputes on claims: IMDi's caseworker sees the region's open ones first; a municipality its own."""

    permission = "grants.view_claims"

    def get(self, request):
        disputes = selectors.disputes_for(self.actor).order_by("status", "-opened_at")[:200]
        return render(request, "grants/disputes.html", {"disputes": disputes, "open": DisputeStatus.OPEN})


class DisputeDetailView(RoleRequiredMixin, ServiceFormMixin, View):
    permission = "grants.view_claims"

    def forms_for(self, dispute, data=None, action=None):
        available = DISPUTE.available(dispute, self.actor)
        person = dispute.person
        initial = {"corrected_settled_on": person.settled_on} if person else {}
        result = {}
        if "resolve" in available:
            result["resolve"] = ResolveDisputeForm(data if action == "resolve" else None, initial=initial)
        if "reject" in available:
            result["reject"] = RejectDisputeForm(data if action == "reject" else None)
        return result

    def render_page(self, request, dispute, forms_, status=200):
        return render(request, "grants/dispute_detail.html", {
            "dispute": dispute, "forms": forms_, "person": dispute.person,
            "household_link": self.actor.is_imdi and dispute.person is not None,
            "history": dispute.history.select_related("history_user").order_by("history_date"),
        }, status=status)

    def get_dispute(self, pk):
        return get_object_or_404(selectors.disputes_for(self.actor), pk=pk)

    def get(self, request, pk):
        dispute = self.get_dispute(pk)
        return self.render_page(request, dispute, self.forms_for(dispute))

    def post(self, request, pk):
        dispute = self.get_dispute(pk)
        action = request.POST.get("action")
        forms_ = self.forms_for(dispute, request.POST, action)
        form = forms_.get(action)
        if form is None:
            raise PermissionDenied("Handlingen er ikke tilgjengelig.")
        if form.is_valid():
            d = form.cleaned_data
            if action == "resolve":
                corrected = d.get("corrected_settled_on")
                if dispute.person is not None and corrected == dispute.person.settled_on:
                    corrected = None  # left as it was: the data were corrected elsewhere (the household page)
                ok, new = self.call_service(form, services.resolve_dispute, self.actor, dispute, resolution=d["resolution"],
                                            corrected_settled_on=corrected)
                if ok:
                    messages.success(request, f"Kravet er beregnet på nytt som versjon {new.version}: "
                                              f"{formatting.kroner(new.total, 2)}.")
                    return redirect("grants:claim", pk=new.pk)
            else:
                ok, _ = self.call_service(form, services.reject_dispute, self.actor, dispute, resolution=d["resolution"])
                if ok:
                    messages.success(request, "Innsigelsen er avvist, og kommunen kan se begrunnelsen.")
                    return redirect("grants:dispute", pk=dispute.pk)
        return self.render_page(request, dispute, forms_, status=400)


class OverdueReportListView(RoleRequiredMixin, View):
    """Grantees whose report is overdue (paid grants past the report deadline), with the reminders sent."""

    permission = "grants.view_overdue_reports"

    def get(self, request):
        return render(request, "grants/overdue_reports.html", {
            "applications": selectors.overdue_reports_for(self.actor), "can_remind": policy.can(self.actor, "grants.remind_reports")})

    def post(self, request):
        app_id = request.POST.get("application")
        if not (app_id or "").isdigit():
            return render(request, "grants/overdue_reports.html", {
                "applications": selectors.overdue_reports_for(self.actor), "can_remind": True,
                "error": "Velg en søknad."}, status=400)
        app = get_object_or_404(selectors.overdue_reports_for(self.actor), pk=int(app_id))
        try:
            reminder = services.remind_overdue_report(self.actor, app)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("grants:overdue_reports")
        if reminder is None:
            messages.info(request, "Det er allerede sendt en påminnelse denne måneden.")
        else:
            from .tasks import send_reminder_mail

            send_reminder_mail(reminder.pk)
            messages.success(request, f"Påminnelse sendt{' til ' + reminder.recipient if reminder.recipient else ''}.")
        return redirect("grants:overdue_reports")


class ParticipationView(RoleRequiredMixin, ServiceFormMixin, View):
    """A person's NIR record: the introduction programme and Norwegian-training hours per quarter."""

    permission = "grants.view_participation"

    def get_person(self, pk):
        from settlement.models import Person

        return get_object_or_404(Person.objects.visible_to(self.actor).select_related("household__municipality"), pk=pk)

    def forms_for(self, person, data=None, action=None):
        record = getattr(person, "nir", None)
        if not policy.may_write(self.actor, "grants.record_participation"):
            return {}
        initial = {"programme_start": record.programme_start, "programme_end": record.programme_end} if record else {}
        return {"programme": ProgrammeForm(data if action == "programme" else None, initial=initial),
                "hours": HoursForm(data if action == "hours" else None)}

    def render_page(self, request, person, forms_, status=200):
        from .entitlements import norwegian_due, participation_quarters, settled_persons

        record = getattr(person, "nir", None)
        settled = settled_persons().filter(pk=person.pk).values_list("settled_day", flat=True).first()
        first = participation_quarters([person.pk]).get(person.pk)
        return render(request, "grants/participation.html", {
            "person": person, "record": record, "hours": record.hours.all() if record else [], "forms": forms_,
            "settled_day": settled, "first": first, "due": norwegian_due(first, settled) if settled else None,
        }, status=status)

    def get(self, request, pk):
        person = self.get_person(pk)
        return self.render_page(request, person, self.forms_for(person))

    def post(self, request, pk):
        person = self.get_person(pk)
        action = request.POST.get("action")
        forms_ = self.forms_for(person, request.POST, action)
        form = forms_.get(action)
        if form is None:
            raise PermissionDenied("Du kan ikke registrere deltakelse.")
        if form.is_valid():
            d = form.cleaned_data
            if action == "programme":
                ok = self.call_service(form, services.record_participation, self.actor, person,
                                       programme_start=d["programme_start"], programme_end=d["programme_end"])[0]
            else:
                ok = self.call_service(form, services.record_training_hours, self.actor, person, year=d["year"],
                                       quarter=d["quarter"], hours=d["hours"])[0]
            if ok:
                messages.success(request, "Lagret i NIR.")
                return redirect("grants:participation", pk=person.pk)
        return self.render_page(request, person, forms_, status=400)


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


class SelfSettledListView(RoleRequiredMixin, ServiceFormMixin, View):
    """Households that settled on their own (selvbosatte) in the caseworker's region: IMDi records the municipality
    they live in, and their persons bring that municipality per-capita grants."""

    permission = "grants.register_self_settlement"

    def households(self):
        from settlement.models import ExitReason, Household, HouseholdStatus

        return (Household.objects.visible_to(self.actor).filter(status=HouseholdStatus.EXITED, exit_reason=ExitReason.SETTLED_ON_OWN)
                .select_related("municipality", "region").order_by(F("municipality_id").asc(nulls_first=True), "-exited_on")[:200])

    def render_page(self, request, form=None, status=200):
        return render(request, "grants/self_settled.html", {"households": self.households(), "form": form or SelfSettlementForm()},
                      status=status)

    def get(self, request):
        return self.render_page(request)

    def post(self, request):
        form = SelfSettlementForm(request.POST)
        if form.is_valid():
            household = get_object_or_404(self.households().model.objects.visible_to(self.actor), pk=form.cleaned_data["household"])
            ok = self.call_service(form, services.register_self_settlement, self.actor, household,
                                   municipality=form.cleaned_data["municipality"])[0]
            if ok:
                messages.success(request, f"Husstand {household.pk} er registrert bosatt i {form.cleaned_data['municipality'].name}.")
                return redirect("grants:self_settled")
        return self.render_page(request, form, status=400)
