from django.urls import path

from . import views

app_name = "agreements"

urlpatterns = [
    path("", views.AgreementListView.as_view(), name="list"),
    path("<int:pk>/", views.AgreementDetailView.as_view(), name="detail"),
    path("oppfolging/", views.FollowUpView.as_view(), name="follow_up"),
    path("bosetting/", views.ComparisonView.as_view(), name="comparison"),
    path("maler/", views.TemplateListView.as_view(), name="templates"),
    path("uten-avtale/", views.WithoutAgreementView.as_view(), name="without_agreement"),
]
