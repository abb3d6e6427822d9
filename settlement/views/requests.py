"""Requests (anmodninger) and capacity: what IMDi asks of municipalities and what they have left."""

from datetime import timedelta

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views import View
from django_tables2 import RequestConfig

from core.models import Municipality
from core.params import year_param
from core.roles import RoleRequiredMixin
from core.views import ServiceFormMixin

from .. import selectors, services
from ..filtersets import MunicipalityFilterSet, RequestFilterSet
from ..forms import AdjustRequestForm, RequestForm
from ..models import RequestedPlaces
from ..tables import CapacityTable, RequestTable
from .common import export_query


class RequestListView(RoleRequiredMixin, View):
    permission = "settlement.view_cases"

    def get(self, request):
        filterset = RequestFilterSet(request.GET, queryset=selectors.requests_for(self.actor))
        table = RequestTable(filterset.qs, can_adjust=self.actor.is_imdi)
        if request.GET.get("format") == "csv":
            return table.csv("anmodninger.csv")
        RequestConfig(request).configure(table)
        return render(request, "settlement/requests.html", {"filter": filterset, "table": table, "csv_query": export_query(request)})


class RequestCreateView(RoleRequiredMixin, ServiceFormMixin, View):
    permission = "settlement.manage_requests"

    def get(self, request):
        today = timezone.localdate()
        form = RequestForm(initial={"sent_on": today, "reply_deadline": today + timedelta(days=60), "first_year": today.year + 1})
        return render(request, "settlement/request_form.html", {"form": form})

    def post(self, request):
        form = RequestForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            if self.call_service(form, lambda: services.create_settlement_request(
                self.actor, municipality=d["municipality"], sent_on=d["sent_on"], reply_deadline=d["reply_deadline"],
                years=form.years(), note=d["note"],
            ))[0]:
                messages.success(request, f"Anmodning er sendt til {d['municipality'].name}.")
                return redirect("settlement:requests")
        return render(request, "settlement/request_form.html", {"form": form}, status=400)


class RequestAdjustView(RoleRequiredMixin, ServiceFormMixin, View):
    permission = "settlement.manage_requests"

    def get_request(self, pk):
        return get_object_or_404(selectors.requests_for(self.actor), pk=pk)

    def get(self, request, pk):
        req = self.get_request(pk)
        form = AdjustRequestForm(request_years=req.years.all())
        history = req.history.select_related("history_user").order_by("-history_date")
        return render(request, "settlement/request_adjust.html", {"req": req, "form": form, "history": history})

    def post(self, request, pk):
        req = self.get_request(pk)
        form = AdjustRequestForm(request.POST, request_years=req.years.all())
        if form.is_valid() and self.call_service(form, lambda: services.adjust_settlement_request(
            self.actor, req, years=form.years(), note=form.cleaned_data["note"]
        ))[0]:
            messages.success(request, "Anmodningen er justert.")
            return redirect("settlement:requests")
        return render(request, "settlement/request_adjust.html", {"req": req, "form": form, "history": []}, status=400)


class CapacityView(RoleRequiredMixin, View):
    """Kapasitet: requested, decided, used and remaining places per municipality for a year."""

    permission = "settlement.view_capacity"

    def get(self, request):
        year = year_param(request.GET)
        data = request.GET.copy()
        if "region" not in data and self.actor.is_caseworker:
            # A caseworker starts on the own region; the filter shows it, and the CSV link carries it.
            data["region"] = str(self.actor.region_id)
        filterset = MunicipalityFilterSet(data, queryset=Municipality.objects.select_related("region").order_by("region__name", "name"))
        municipalities = list(filterset.qs)
        caps = selectors.capacities([m.pk for m in municipalities], year)
        requested = dict(RequestedPlaces.objects.filter(year=year, municipality__in=[m.pk for m in municipalities])
                         .values_list("municipality_id", "persons"))
        rows = [{"m": m, "cap": caps[m.pk], "requested": requested.get(m.pk)} for m in municipalities]
        table = CapacityTable(rows, year=year)
        if request.GET.get("format") == "csv":
            return table.csv(f"kapasitet-{year}.csv")
        RequestConfig(request).configure(table)
        totals = {k: sum(getattr(r["cap"], k) for r in rows) for k in ("decided", "proposed", "accepted", "assigned", "settled", "remaining")}
        totals["requested"] = sum(r["requested"] or 0 for r in rows)
        query = data.copy()
        query.pop("page", None)
        query["format"] = "csv"
        return render(request, "settlement/capacity.html", {
            "filter": filterset, "table": table, "year": year, "totals": totals, "csv_query": query.urlencode(),
        })
