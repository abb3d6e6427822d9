from django.contrib import admin

from core.admin import ReadOnlyHistoryAdmin, ReadOnlyMixin

from .models import (
    ActionItem, AgreementGoal, AgreementGrant, AgreementTemplate, AnnualStatusReport, Commitment, FollowUpMeeting,
    MunicipalityContact, PartnershipAgreement, PartyOrganisation, TemplateActionItem,
)

# Agreements and their follow-up change only through agreements.services (scope, dates within the agreement,
# one report a year), so the admin shows them read-only with their history.


class GoalInline(ReadOnlyMixin, admin.TabularInline):
    model = AgreementGoal
    extra = 0


class CommitmentInline(ReadOnlyMixin, admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(PartnershipAgreement)
class PartnershipAgreementAdmin(ReadOnlyHistoryAdmin):
    list_display = ("title", "agreement_type", "region", "start_date", "end_date")
    list_filter = ("agreement_type", "region")
    inlines = [GoalInline, CommitmentInline]


admin.site.register(ActionItem, ReadOnlyHistoryAdmin)
admin.site.register(FollowUpMeeting, ReadOnlyHistoryAdmin)
admin.site.register(AnnualStatusReport, ReadOnlyHistoryAdmin)
admin.site.register(PartyOrganisation, ReadOnlyHistoryAdmin)  # reference data (agreements.reference)
admin.site.register(AgreementTemplate, ReadOnlyHistoryAdmin)
admin.site.register(TemplateActionItem, ReadOnlyHistoryAdmin)
admin.site.register(AgreementGrant, ReadOnlyHistoryAdmin)
admin.site.register(MunicipalityContact, ReadOnlyHistoryAdmin)
