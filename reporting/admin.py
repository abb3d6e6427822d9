from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, IndicatorTarget, IndicatorValue, ReportSnapshot, Verdict


class IndicatorTargetInline(admin.TabularInline):
    model = IndicatorTarget
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ("code", "goal", "name", "unit", "direction", "computation", "must_increase", "by_sex")
    list_filter = ("goal", "unit")
    inlines = [IndicatorTargetInline]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ("indicator", "year", "sex", "value", "part_year", "note", "entered_by")
    list_filter = ("indicator__goal",)


@admin.register(Verdict)
class VerdictAdmin(SimpleHistoryAdmin):
    list_display = ("goal", "indicator", "period", "assessment", "note", "source")
    list_filter = ("goal", "assessment")


@admin.register(ReportSnapshot)
class ReportSnapshotAdmin(admin.ModelAdmin):
    list_display = ("kind", "year", "month", "version", "status", "created_at", "requested_by")
    list_filter = ("kind", "status")
    exclude = ("figures", "public_figures", "hidden_cells")

    # Snapshots are frozen: the admin may look, not change.
    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
