from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, County, Municipality, ReceptionCentre, Region, UserProfile


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "office_city")


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ("number", "name")


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "county", "region", "population")
    list_filter = ("region", "county")
    search_fields = ("number", "name")


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name")


@admin.register(ReceptionCentre)
class ReceptionCentreAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "municipality")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "region", "municipality", "agency", "can_write")
    list_filter = ("role", "region")
    raw_id_fields = ("municipality",)




class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """For models that change only through their services (state rules, budgets, audit): look, don't touch."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
