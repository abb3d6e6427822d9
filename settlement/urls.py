from django.urls import path

from .views import caseworker, households, matching, municipality, overview, requests
from .views import reunification
from .views import reception

app_name = "settlement"

urlpatterns = [
    # The reception centre's pages and the settlement interview (bosettingssamtale).
    path("mottak/", reception.ReceptionHouseholdsView.as_view(), name="reception"),
    path("mottak/personer/<int:pk>/samtale/", reception.InterviewView.as_view(), name="interview"),
    path("husstander/<int:pk>/unntak-samtale/", reception.InterviewWaiverView.as_view(), name="interview_waiver"),
    path("", caseworker.WorkQueueView.as_view(), name="work_queue"),
    path("oversikt/", overview.OverviewView.as_view(), name="overview"),
    path("husstander/ny/", caseworker.HouseholdCreateView.as_view(), name="household_new"),
    path("husstander/<int:pk>/", households.HouseholdDetailView.as_view(), name="household"),
    path("personer/<int:pk>/", households.PersonDetailView.as_view(), name="person"),
    path("fordelingslister/", caseworker.DistributionListListView.as_view(), name="distribution_lists"),
    path("fordelingslister/ny/", caseworker.DistributionListBuilderView.as_view(), name="distribution_list_new"),
    path("fordelingslister/<int:pk>/", caseworker.DistributionListDetailView.as_view(), name="distribution_list"),
    path("utsoking/", matching.MatchingView.as_view(), name="matching"),
    path("kapasitet/", requests.CapacityView.as_view(), name="capacity"),
    path("anmodninger/", requests.RequestListView.as_view(), name="requests"),
    path("anmodninger/ny/", requests.RequestCreateView.as_view(), name="request_new"),
    path("anmodninger/<int:pk>/juster/", requests.RequestAdjustView.as_view(), name="request_adjust"),
    path("anmodninger/plan/", requests.RequestPlanView.as_view(), name="request_plan"),
    path("anmodninger/<int:pk>/send-brev/", requests.RequestSendView.as_view(), name="request_send"),
    path("anmodninger/<int:pk>/brev.pdf", requests.RequestLetterView.as_view(), name="request_letter"),
    path("anmodninger/kontakter/", requests.ContactListView.as_view(), name="contacts"),
    path("anmodninger/kontakter/<int:pk>/", requests.ContactEditView.as_view(), name="contact"),
    path("anmodninger/vedtak/", requests.DecisionRegisterView.as_view(), name="decision_register"),
    path("kommune/innboks/", municipality.InboxView.as_view(), name="inbox"),
    path("kommune/vedtak/", municipality.DecisionView.as_view(), name="decision"),
    path("kommune/bosetting/", municipality.SettlementRegistrationView.as_view(), name="settlement_registration"),
    path("husstander/<int:pk>/familiegjenforening/", reunification.ReunificationView.as_view(), name="reunification"),
    path("husstander/<int:pk>/overfor/", reunification.TransferView.as_view(), name="transfer"),
    path("enslige-mindrearige/", reunification.MinorsView.as_view(), name="minors"),
    path("enslige-mindrearige/refusjon/", reunification.MinorRefundView.as_view(), name="minor_refunds"),
]
