from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyHistoryAdmin, ReadOnlyMixin

from .models import (DistributionList, Household, MunicipalDecision, MunicipalityContact, NationalNeed, Person, Proposal,
                     RequestedPlaces, RequestLetter, RequestPlan, SettlementRequest)


@admin.register(NationalNeed)
class NationalNeedAdmin(SimpleHistoryAdmin):
    list_display = ("year", "adults_and_families", "unaccompanied_minors", "resettlement_refugees", "total")


class RequestedPlacesInline(ReadOnlyMixin, admin.TabularInline):
    model = RequestedPlaces
    extra = 0


# Requests and decisions change only through the services: a decision may not go below the places already
# committed (issue 9: the admin once lowered one), and a request's years hang together.
@admin.register(SettlementRequest)
class SettlementRequestAdmin(ReadOnlyHistoryAdmin):
    list_display = ("municipality", "sent_on", "reply_deadline", "adjusted_at")
    list_filter = ("municipality__region",)
    search_fields = ("municipality__name", "municipality__number")
    inlines = [RequestedPlacesInline]
    raw_id_fields = ("municipality",)


@admin.register(MunicipalDecision)
class MunicipalDecisionAdmin(ReadOnlyHistoryAdmin):
    list_display = ("municipality", "year", "places", "unaccompanied_minors", "decided_on")
    list_filter = ("year", "municipality__region")
    search_fields = ("municipality__name", "municipality__number")
    raw_id_fields = ("municipality", "request")


# Households, persons and proposals change only through the services (state rules, capacity,
# timeline), so the admin shows them read-only.
ReadOnlyAdmin = ReadOnlyHistoryAdmin


@admin.register(Household)
class HouseholdAdmin(ReadOnlyAdmin):
    list_display = ("id", "status", "category", "composition", "size", "region", "municipality", "waiting_since")
    list_filter = ("status", "category", "composition", "region")


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ("duf_number", "first_name", "last_name", "birth_date", "nationality", "household")
    search_fields = ("duf_number", "last_name")


@admin.register(DistributionList)
class DistributionListAdmin(ReadOnlyAdmin):
    list_display = ("id", "municipality", "year", "reply_deadline", "created_at")


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = ("id", "household", "municipality", "status", "decline_reason")
    list_filter = ("status",)


# The contact register, request plans and letters change through the services (settlement.services.requests).
@admin.register(MunicipalityContact)
class MunicipalityContactAdmin(ReadOnlyAdmin):
    list_display = ("municipality", "title", "name", "email", "receives_request_letter")
    list_filter = ("title", "municipality__region")
    search_fields = ("municipality__name", "email")


@admin.register(RequestPlan)
class RequestPlanAdmin(ReadOnlyAdmin):
    list_display = ("first_year", "weight_population", "weight_previous_settlement", "weight_decided", "factor", "created_at")


@admin.register(RequestLetter)
class RequestLetterAdmin(ReadOnlyAdmin):
    list_display = ("request", "recipient_email", "queued_at", "sent_at", "reminded_at")
    exclude = ("pdf",)
