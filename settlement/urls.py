from django.urls import path

from . import views

app_name = "settlement"

urlpatterns = [
    path("", views.WorkQueueView.as_view(), name="work_queue"),
    path("oversikt/", views.OverviewView.as_view(), name="overview"),
    path("husstander/ny/", views.HouseholdCreateView.as_view(), name="household_new"),
    path("husstander/<int:pk>/", views.HouseholdDetailView.as_view(), name="household"),
    path("personer/<int:pk>/", views.PersonDetailView.as_view(), name="person"),
    path("fordelingslister/", views.DistributionListListView.as_view(), name="distribution_lists"),
    path("fordelingslister/ny/", views.DistributionListBuilderView.as_view(), name="distribution_list_new"),
    path("fordelingslister/<int:pk>/", views.DistributionListDetailView.as_view(), name="distribution_list"),
    path("utsoking/", views.MatchingView.as_view(), name="matching"),
    path("kapasitet/", views.CapacityView.as_view(), name="capacity"),
    path("anmodninger/", views.RequestListView.as_view(), name="requests"),
    path("anmodninger/ny/", views.RequestCreateView.as_view(), name="request_new"),
    path("anmodninger/<int:pk>/juster/", views.RequestAdjustView.as_view(), name="request_adjust"),
    path("kommune/innboks/", views.InboxView.as_view(), name="inbox"),
    path("kommune/vedtak/", views.DecisionView.as_view(), name="decision"),
    path("kommune/bosetting/", views.SettlementRegistrationView.as_view(), name="settlement_registration"),
]
