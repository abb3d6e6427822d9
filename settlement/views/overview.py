"""The overview page: aggregates only, no personal data (what the ministry sees)."""

from django.db.models import Sum
from django.db.models.functions import Coalesce
from django.shortcuts import render
from django.utils import timezone
from django.views import View

from core.disclosure import sees_small_counts, suppress_rows
from core.models import Region
from core.roles import RoleRequiredMixin

from .. import selectors
from ..models import MunicipalDecision, NationalNeed, RequestedPlaces


class OverviewView(RoleRequiredMixin, View):
    """Aggregates only (no personal data): what the ministry sees, and everyone's landing figures."""

    permission = "settlement.view_overview"

    def get(self, request):
        today = timezone.localdate()
        year = today.year
        by_region = selectors.persons_by_region(today)
        need = NationalNeed.objects.filter(year=year).first()
        decided = MunicipalDecision.objects.filter(year=year).aggregate(total=Coalesce(Sum("places"), 0))["total"]
        requested = RequestedPlaces.objects.filter(year=year).aggregate(total=Coalesce(Sum("persons"), 0))["total"]
        counts = ("ready", "in_process", "long_waiting", "settled_year")
        rows = [{k: r[k] for k in ("region", *counts)} for r in by_region]
        totals = {k: sum(r[k] for r in rows) for k in counts}
        if not sees_small_counts(self.actor):
            rows, totals = suppress_rows(rows, counts), suppress_rows([totals], counts)[0]
        return render(request, "settlement/overview.html", {
            "rows": rows, "totals": totals, "need": need, "decided": decided, "requested": requested, "year": year,
            "regions": Region.objects.count(),
        })
