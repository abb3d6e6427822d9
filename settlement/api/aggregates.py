"""Aggregates for agencies and the ministry: persons per region and status, no personal data."""

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.auth import HasScope
from core.disclosure import sees_small_counts, suppress_rows
from core.models import ApiScope
from core.roles import actor_for
from settlement.models import Household, HouseholdStatus
from settlement.selectors import long_waiting_q


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
        rows = (Household.objects.values("region__name").annotate(
            **{s: Coalesce(Sum("size", filter=Q(status=s)), 0) for s in HouseholdStatus.values},
            long_waiting=Coalesce(Sum("size", filter=long_waiting_q(today)), 0),
        ).order_by("region__name"))
        regions = [{"region": r.pop("region__name"), **r} for r in rows]
        if not sees_small_counts(actor_for(request.user)):
            regions = suppress_rows(regions, set(HouseholdStatus.values) | {"long_waiting"})
        return Response({"date": today, "regions": regions})
