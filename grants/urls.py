from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("", views.SchemeListView.as_view(), name="schemes"),
    path("krav/", views.ClaimListView.as_view(), name="claims"),
    path("krav/<int:pk>/", views.ClaimDetailView.as_view(), name="claim"),
    path("krav/<int:pk>/vedtaksbrev/", views.ClaimLetterView.as_view(), name="claim_letter"),
    path("krav/<int:pk>/linjer/<int:line_id>/innsigelse/", views.DisputeCreateView.as_view(), name="dispute_new"),
    path("innsigelser/", views.DisputeListView.as_view(), name="disputes"),
    path("innsigelser/<int:pk>/", views.DisputeDetailView.as_view(), name="dispute"),
    path("rapporter-forfalt/", views.OverdueReportListView.as_view(), name="overdue_reports"),
    path("nir/<int:pk>/", views.ParticipationView.as_view(), name="participation"),
    path("selvbosatte/", views.SelfSettledListView.as_view(), name="self_settled"),
    path("utbetalinger/<int:pk>/", views.BatchView.as_view(), name="batch"),
    path("soknader/", views.ApplicationListView.as_view(), name="applications"),
    path("soknader/<int:pk>/", views.ApplicationDetailView.as_view(), name="application"),
]
