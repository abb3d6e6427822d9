from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from .models import Agency, ApiToken, County, Municipality, ReceptionCentre, Region, UserProfile


class ReadOnlyMixin:
    """Look, don't touch: for data that changes only through a service or a loader."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyHistoryAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """For models that change only through their services (state rules, capacity, budgets, audit). Simple_history's
    "revert to this version" form refuses a POST too: it builds its form without asking for the change permission,
    and saved an old decision past the services (issue 12)."""

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReferenceDataAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Reference data comes from SSB KLASS and core/data through `load_reference_data`, not from hand edits."""


@admin.register(Region)
class RegionAdmin(ReferenceDataAdmin):
    list_display = ("name", "code", "office_city")


@admin.register(County)
class CountyAdmin(ReferenceDataAdmin):
    list_display = ("number", "name")


@admin.register(Municipality)
class MunicipalityAdmin(ReferenceDataAdmin):
    list_display = ("number", "name", "county", "region", "population")
    list_filter = ("region", "county")
    search_fields = ("number", "name")


@admin.register(Agency)
class AgencyAdmin(ReferenceDataAdmin):
    list_display = ("code", "name")


@admin.register(ReceptionCentre)
class ReceptionCentreAdmin(ReferenceDataAdmin):
    list_display = ("name", "kind", "municipality")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(UserProfile)
class UserProfileAdmin(SimpleHistoryAdmin):
    """Roles and scopes are given here; the history (and the history middleware) keeps who changed what."""

    list_display = ("user", "role", "region", "municipality", "agency", "can_write")
    list_filter = ("role", "region")
    raw_id_fields = ("municipality",)


@admin.register(ApiToken)
class ApiTokenAdmin(SimpleHistoryAdmin):
    """Tokens are issued by `manage.py create_api_token` (the key is shown once); here they are only revoked."""

    list_display = ("name", "user", "prefix", "scopes", "expires_at", "last_used_at", "revoked")
    list_filter = ("revoked",)
    fields = ("name", "user", "prefix", "scopes", "created_at", "expires_at", "last_used_at", "revoked")
    readonly_fields = ("name", "user", "prefix", "scopes", "created_at", "expires_at", "last_used_at")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
