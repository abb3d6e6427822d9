"""The versioned REST API for agencies: /api/v1/."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.permissions import IsAuthenticated
from rest_framework.routers import DefaultRouter

from agreements.api.views import AgreementViewSet
from grants.api.views import GrantClaimViewSet
from core.api.views import MunicipalityViewSet
from settlement.api.aggregates import AggregatesView
from reporting.api.views import ReportSnapshotViewSet
from settlement.api import views as settlement

router = DefaultRouter()
router.register("municipalities", MunicipalityViewSet, basename="municipality")
router.register("requests", settlement.SettlementRequestViewSet, basename="request")
router.register("decisions", settlement.DecisionViewSet, basename="decision")
router.register("households", settlement.HouseholdViewSet, basename="household")
router.register("persons", settlement.PersonViewSet, basename="person")
router.register("settlement-ready", settlement.SettlementReadyViewSet, basename="settlement-ready")
router.register("proposals", settlement.ProposalViewSet, basename="proposal")
router.register("settlements", settlement.SettlementViewSet, basename="settlement")
router.register("grant-claims", GrantClaimViewSet, basename="grant-claim")
router.register("agreements", AgreementViewSet, basename="agreement")
router.register("report-snapshots", ReportSnapshotViewSet, basename="report-snapshot")

app_name = "api"

urlpatterns = [
    path("", include(router.urls)),
    path("aggregates/", AggregatesView.as_view(), name="aggregates"),
    # The schema and its Swagger page list every operation and field: for a signed-in user or a token only (issue 9).
    path("schema/", SpectacularAPIView.as_view(api_version="v1", permission_classes=[IsAuthenticated]), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema", permission_classes=[IsAuthenticated]), name="docs"),
]
