from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from core.admin import ReadOnlyHistoryAdmin

from .models import GrantApplication, GrantClaim, GrantRate, GrantScheme, GrantYear, PaymentBatch


class GrantRateInline(admin.TabularInline):
    model = GrantRate
    extra = 0


class GrantYearInline(admin.TabularInline):
    model = GrantYear
    extra = 0
    show_change_link = True


@admin.register(GrantScheme)
class GrantSchemeAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "kind", "code")
    inlines = [GrantYearInline]


@admin.register(GrantYear)
class GrantYearAdmin(SimpleHistoryAdmin):
    list_display = ("scheme", "year", "budget", "application_deadline")
    list_filter = ("year", "scheme")
    inlines = [GrantRateInline]


# Claims, batches and applications change only through the services (budgets, workflow, audit).
@admin.register(GrantClaim)
class GrantClaimAdmin(ReadOnlyHistoryAdmin):
    list_display = ("municipality", "year", "quarter", "status", "total")
    list_filter = ("year", "quarter", "status")


@admin.register(GrantApplication)
class GrantApplicationAdmin(ReadOnlyHistoryAdmin):
    list_display = ("title", "applicant_name", "grant_year", "status", "amount_requested", "amount_granted")
    list_filter = ("status", "grant_year__scheme")


@admin.register(PaymentBatch)
class PaymentBatchAdmin(ReadOnlyHistoryAdmin):
    list_display = ("id", "year", "quarter", "total", "created_at")
