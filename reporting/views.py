"""Report pages: the ministry dashboard, snapshots with progress and exports, goal achievement."""

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views import View

from core import policy
from core.params import id_param, year_param
from core.roles import RoleRequiredMixin
from core.views import ServiceFormMixin

from . import exports, services
from .forms import IndicatorValueForm, SnapshotRequestForm, VerdictForm
from .models import IndicatorValue, ReportKind, ReportSnapshot, SnapshotStatus, Verdict
from .publication import LEGEND
from .selectors import HEAVY, dashboard_snapshots, figures_for, for_viewer, latest_done, offered_monthly

class DashboardView(RoleRequiredMixin, View):
    """Ministry dashboard: headline figures, charts and the goal table."""

    permission = "reporting.view"

    def get(self, request):
        asked = id_param(request.GET, "snapshot")  # 400 when it is not an id
        monthly, goals = dashboard_snapshots(self.actor, asked)
        if asked is not None and monthly is None:
            raise Http404("Fant ikke rapporten.")
        figures = figures_for(self.actor, monthly)
        charts = None
        if figures:
            charts = {
                "series": figures["series"],
                "distribution": figures["wait_times"]["distribution"],
                "regions": [{"name": r["name"], "settled_ytd": r["settled_ytd"], "decided": r["decided"],
                             "waiting": r["waiting"], "long_waiting": r["long_waiting"]} for r in figures["regions"]],
                "queue": figures.get("outlook", {}).get("queue", []),
            }
        return render(request, "reporting/dashboard.html", {
            "snapshot": monthly, "figures": figures, "goals_snapshot": goals, "goals": figures_for(self.actor, goals),
            "charts": charts, "monthly_snapshots": offered_monthly()[:24], "legend": LEGEND,
        })


class SnapshotListView(RoleRequiredMixin, ServiceFormMixin, View):
    permission = "reporting.view"

    def render_page(self, request, form, status=200):
        snapshots = ReportSnapshot.objects.select_related("requested_by").defer(*HEAVY)[:100]
        return render(request, "reporting/snapshots.html", {"form": form, "snapshots": snapshots}, status=status)

    def get(self, request):
        return self.render_page(request, SnapshotRequestForm(initial=SnapshotRequestForm.default_initial()))

    def post(self, request):
        policy.require(self.actor, "reporting.request_snapshot")
        form = SnapshotRequestForm(request.POST)
        ok, snapshot = form.is_valid() and self.call_service(
            form, services.request_snapshot, self.actor, kind=form.cleaned_data["kind"], year=form.cleaned_data["year"],
            month=form.cleaned_data["month"]) or (False, None)
        if ok:
            messages.success(request, f"{snapshot} er bestilt.")
            return redirect("reporting:snapshot", pk=snapshot.pk)
        return self.render_page(request, form, status=400)


class SnapshotDetailView(RoleRequiredMixin, View):
    permission = "reporting.view"

    def get(self, request, pk):
        snapshot = get_object_or_404(for_viewer(self.actor, ReportSnapshot.objects.all()), pk=pk)
        versions = ReportSnapshot.objects.filter(kind=snapshot.kind, year=snapshot.year, month=snapshot.month).defer(*HEAVY)
        template = "reporting/goals.html" if snapshot.kind == ReportKind.GOALS else "reporting/snapshot_detail.html"
        return render(request, template, {
            "snapshot": snapshot, "figures": figures_for(self.actor, snapshot), "versions": versions, "legend": LEGEND,
        })


class SnapshotStatusView(RoleRequiredMixin, View):
    """Progress for the page that polls while a job runs."""

    permission = "reporting.view"

    def get(self, request, pk):
        s = get_object_or_404(ReportSnapshot.objects.defer(*HEAVY), pk=pk)
        return JsonResponse({"status": s.status, "status_label": s.get_status_display(), "progress": s.progress,
                             "error": "Beregningen feilet. Prøv igjen, eller kontakt brukerstøtte." if s.error else ""})


class SnapshotExportView(RoleRequiredMixin, View):
    permission = "reporting.view"
    formats = ("csv", "xlsx", "pdf")

    def get(self, request, pk, fmt):
        if fmt not in self.formats:
            raise Http404("Ukjent format.")
        snapshot = get_object_or_404(for_viewer(self.actor, ReportSnapshot.objects.all()), pk=pk, status=SnapshotStatus.DONE)
        # Title, period, version and date made in every format; Norwegian file names (maanedsrapport-2025-10.pdf).
        content, content_type, name = exports.render(snapshot, figures_for(self.actor, snapshot), fmt)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class GoalReportView(RoleRequiredMixin, View):
    """The latest goal-achievement snapshot for a year (default: this year)."""

    permission = "reporting.view"

    def get(self, request):
        year = year_param(request.GET)
        snapshot = latest_done(ReportKind.GOALS, year=year)
        if snapshot:
            return redirect("reporting:snapshot", pk=snapshot.pk)
        return render(request, "reporting/goals.html", {"snapshot": None, "figures": None, "year": year, "versions": []})


class IndicatorValueView(RoleRequiredMixin, ServiceFormMixin, View):
    """An IMDi admin enters the yearly values of indicators the system cannot compute."""

    permission = "reporting.record_indicator"

    def render_page(self, request, form, verdict_form, status=200):
        values = IndicatorValue.objects.select_related("indicator", "entered_by").order_by("indicator__code", "-year", "sex")
        verdicts = Verdict.objects.select_related("indicator")
        return render(request, "reporting/indicator_values.html", {
            "form": form, "verdict_form": verdict_form, "values": values, "verdicts": verdicts}, status=status)

    def get(self, request):
        return self.render_page(request, IndicatorValueForm(initial={"year": timezone.localdate().year - 1}), VerdictForm())

    def post(self, request):
        if request.POST.get("form") == "verdict":
            form = VerdictForm(request.POST)
            if form.is_valid() and self.call_service(form, services.record_verdict, self.actor, **form.cleaned_data)[0]:
                messages.success(request, "Vurderingen er registrert.")
                return redirect(reverse("reporting:indicator_values"))
            return self.render_page(request, IndicatorValueForm(), form, status=400)
        form = IndicatorValueForm(request.POST)
        if form.is_valid() and self.call_service(form, services.record_indicator_value, self.actor, **form.cleaned_data)[0]:
            messages.success(request, "Verdien er registrert. Bestill en ny måloppnåelsesrapport for å ta den med.")
            return redirect(reverse("reporting:indicator_values"))
        return self.render_page(request, form, VerdictForm(), status=400)
