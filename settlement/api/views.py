"""Settlement API: read endpoints scoped like the web pages, and UDI's idempotent registration."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.exceptions import APIException
from rest_framework.filters import OrderingFilter
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response

from core import policy
from core.api.auth import HasScope, api_actor
from core.models import ApiScope
from core.roles import actor_for
from settlement import selectors, services
from settlement.models import Household, Person
from settlement.pagination import VersionedCountPaginator

from . import serializers


def household_scope(request):
    """Households the caller may read: the role's scope, or for agencies what their token allows."""
    return Household.objects.visible_to(api_actor(request))


class HouseholdPersonPagination(PageNumberPagination):
    """The lists of households and persons: their total cached by the data's version (issue 14)."""

    django_paginator_class = VersionedCountPaginator


READ_PERSONS = (ApiScope.SETTLEMENT_READ, ApiScope.MINORS_READ, ApiScope.PERSONS_READ, ApiScope.PERSONS_WRITE)


class HouseholdViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.HouseholdSerializer
    pagination_class = HouseholdPersonPagination
    permission_classes = [HasScope]
    permission = "settlement.read_households_api"
    required_scopes = {"*": READ_PERSONS}
    filterset_fields = ["status", "category", "composition", "region", "municipality", "settlement_year"]
    filter_backends = viewsets.ReadOnlyModelViewSet.filter_backends + [OrderingFilter]
    ordering_fields = ["id", "waiting_since", "settled_on", "size"]
    ordering = ["id"]

    def get_queryset(self):
        return household_scope(self.request).select_related("municipality").prefetch_related("persons").order_by("id")


class PersonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = serializers.PersonSerializer
    pagination_class = HouseholdPersonPagination
    permission_classes = [HasScope]
    permission = "settlement.read_households_api"
    required_scopes = {"*": READ_PERSONS}
    filterset_fields = ["duf_number", "nationality", "household", "sex"]
    filter_backends = viewsets.GenericViewSet.filter_backends + [OrderingFilter]
    ordering_fields = ["id", "birth_date", "settled_on", "residence_permit_date"]

    def get_queryset(self):
        return Person.objects.visible_to(api_actor(self.request)).order_by("id")


class AlreadyRegistered(APIException):
    """A DUF number is registered in a household the caller may not see: say so, and nothing more."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "Ett eller flere DUF-nummer er allerede registrert."
    default_code = "already_registered"


def may_see_registered(actor, household_ids) -> bool:
    """Whether the caller may be told about these households: an agency only about the ones it
    registered itself (Household.registered_by_agency), IMDi staff about those in their scope."""
    ids = set(household_ids)
    if actor.role == policy.AGENCY:
        if actor.agency_id is None:
            return False
        return Household.objects.filter(pk__in=ids, registered_by_agency_id=actor.agency_id).count() == len(ids)
    return Household.objects.visible_to(actor).filter(pk__in=ids).count() == len(ids)


class SettlementReadyViewSet(viewsets.GenericViewSet):
    """POST a settlement-ready household. Sending the same DUF numbers again returns the first registration,
    to the caller who registered it (or IMDi staff in scope); anyone else gets 409 with no personal data."""

    serializer_class = serializers.SettlementReadySerializer
    permission_classes = [HasScope]
    permission = "settlement.register_household"
    required_scopes = {"POST": ApiScope.PERSONS_WRITE}

    @extend_schema(responses={201: serializers.HouseholdSerializer, 200: serializers.HouseholdSerializer,
                              400: OpenApiResponse(description="Ugyldige data, med feltmeldinger"),
                              409: OpenApiResponse(description="DUF-nummer allerede registrert (uten persondata)")})
    def create(self, request):
        # 1. The whole payload is valid (before any lookup, so that errors do not depend on what exists).
        payload = self.get_serializer(data=request.data)
        payload.is_valid(raise_exception=True)
        data = dict(payload.validated_data)
        # The role's own reach decides what the caller is told about (an agency: what it registered).
        actor = actor_for(request.user)
        # 2. The caller's role may register at all (a 403 here, not a 409 that would tell what exists).
        policy.require(actor, "settlement.register_household")
        # 3. Numbers that already belong to a household the caller may not see: 409, nothing else.
        dufs = [p["duf_number"] for p in data["persons"]]
        known = set(Person.objects.filter(duf_number__in=dufs).values_list("household_id", flat=True))
        if known and not may_see_registered(actor, known):
            raise AlreadyRegistered()
        household, created = services.register_settlement_ready(actor, **data)
        # A concurrent registration by someone else can surface only now.
        if not created and not may_see_registered(actor, [household.pk]):
            raise AlreadyRegistered()
        body = serializers.HouseholdSerializer(Household.objects.prefetch_related("persons").get(pk=household.pk)).data
        return Response(body, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class SettlementViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Persons registered as settled (bosettinger), newest first."""

    serializer_class = serializers.SettlementSerializer
    pagination_class = HouseholdPersonPagination
    permission_classes = [HasScope]
    permission = "settlement.read_households_api"
    required_scopes = {"*": READ_PERSONS}
    filterset_fields = {"settled_on": ["gte", "lte"], "household__municipality": ["exact"]}

    def get_queryset(self):
        return (Person.objects.filter(settled_on__isnull=False, household__municipality__isnull=False,
                                      household__in=household_scope(self.request).values("pk"))
                .select_related("household__municipality").order_by("-settled_on", "id"))


class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.ProposalSerializer
    permission_classes = [HasScope]
    permission = "settlement.view_cases"
    required_scopes = {"*": ApiScope.SETTLEMENT_READ}
    filterset_fields = ["status", "municipality", "distribution_list"]

    def get_queryset(self):
        return selectors.proposals_for(api_actor(self.request)).select_related("distribution_list").order_by("id")


class SettlementRequestViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.SettlementRequestSerializer
    permission_classes = [HasScope]
    permission = "settlement.view_cases"
    required_scopes = {"*": ApiScope.SETTLEMENT_READ}
    filterset_fields = ["municipality"]

    def get_queryset(self):
        return selectors.requests_for(api_actor(self.request)).order_by("id")


class DecisionViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = serializers.DecisionSerializer
    permission_classes = [HasScope]
    permission = "settlement.read_decisions_api"
    required_scopes = {"*": (ApiScope.SETTLEMENT_READ, ApiScope.AGGREGATES_READ)}
    filterset_fields = ["municipality", "year"]
    filter_backends = viewsets.ReadOnlyModelViewSet.filter_backends + [OrderingFilter]
    ordering_fields = ["year", "places"]

    def get_queryset(self):
        return selectors.decisions_for(api_actor(self.request)).order_by("id")
