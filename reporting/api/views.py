from django.db.models import F
from rest_framework import serializers, viewsets

from core.api.auth import HasScope, api_actor
from core.models import ApiScope
from reporting.models import ReportSnapshot, SnapshotStatus
from reporting.selectors import HEAVY, figures_for, for_viewer

LIST_FIELDS = ["id", "kind", "year", "month", "version", "status", "finished_at", "complete", "has_data"]


class SnapshotListSerializer(serializers.ModelSerializer):
    """A list entry without figures (a page of full reports was megabytes); the detail has them."""

    class Meta:
        model = ReportSnapshot
        fields = LIST_FIELDS


class SnapshotSerializer(serializers.ModelSerializer):
    figures = serializers.SerializerMethodField()

    class Meta:
        model = ReportSnapshot
        fields = [*LIST_FIELDS, "figures"]

    def get_figures(self, obj) -> dict | None:
        # Only IMDi sees small counts; everyone else gets the suppressed figures.
        return figures_for(self.context["actor"], obj)


class ReportSnapshotViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = SnapshotSerializer
    permission_classes = [HasScope]
    permission = "reporting.read_api"
    required_scopes = {"*": ApiScope.REPORTS_READ}
    filterset_fields = ["kind", "year", "month", "status"]

    def get_queryset(self):
        qs = ReportSnapshot.objects.filter(status=SnapshotStatus.DONE).order_by("-year", F("month").desc(nulls_last=True), "-version")  # same order on PostgreSQL and SQLite
        return qs.defer(*HEAVY) if self.action == "list" else for_viewer(api_actor(self.request), qs)

    def get_serializer_class(self):
        return SnapshotListSerializer if self.action == "list" else SnapshotSerializer

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "actor": api_actor(self.request)}
