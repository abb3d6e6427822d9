from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ActionItem, AgreementGoal, AnnualStatusReport, Commitment, FollowUpMeeting, PartnershipAgreement


class GoalInline(admin.TabularInline):
    model = AgreementGoal
    extra = 0


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 0


@admin.register(PartnershipAgreement)
class PartnershipAgreementAdmin(SimpleHistoryAdmin):
    list_display = ("title", "agreement_type", "region", "start_date", "end_date")
    list_filter = ("agreement_type", "region")
    filter_horizontal = ("municipalities", "agencies")
    inlines = [GoalInline, CommitmentInline]


admin.site.register(ActionItem, SimpleHistoryAdmin)
admin.site.register(FollowUpMeeting)
admin.site.register(AnnualStatusReport)
