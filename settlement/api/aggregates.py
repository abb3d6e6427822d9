"""Aggregates for agencies and the ministry: persons per region and status, no personal data."""

from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.auth import HasScope
from core.disclosure import sees_small_counts, suppress_rows
from core.models import ApiScope
from core.roles import actor_for
from settlement.models import HouseholdStatus
from settlement.selectors import persons_by_region


class AggregatesView(APIView):
    """Persons per region and status, and the long-waiting: aggregates only, no personal data."""

    permission_classes = [HasScope]
    permission = "settlement.read_aggregates_api"
    required_scopes = {"*": ApiScope.AGGREGATES_READ}

    @extend_schema(responses=inline_serializer("Aggregates", {
        "date": serializers.DateField(),
        "regions": serializers.ListField(child=serializers.DictField(), help_text="Counts of 1–4 read «<5» outside IMDi."),
    }))
    def get(self, request):
        today = timezone.localdate()
        keys = (*HouseholdStatus.values, "long_waiting")
        regions = [{k: r[k] for k in ("region", *keys)} for r in persons_by_region(today)]
        if not sees_small_counts(actor_for(request.user)):
            regions = suppress_rows(regions, set(HouseholdStatus.values) | {"long_waiting"})
        return Response({"date": today, "regions": regions})
