from django.urls import path

from . import views

app_name = "grants"

urlpatterns = [
    path("", views.SchemeListView.as_view(), name="schemes"),
    path("krav/", views.ClaimListView.as_view(), name="claims"),
    path("krav/<int:pk>/", views.ClaimDetailView.as_view(), name="claim"),
    path("krav/<int:pk>/vedtaksbrev/", views.ClaimDetailView.as_view(), {"letter": True}, name="claim_letter"),
    path("utbetalinger/<int:pk>/", views.BatchView.as_view(), name="batch"),
    path("soknader/", views.ApplicationListView.as_view(), name="applications"),
    path("soknader/<int:pk>/", views.ApplicationDetailView.as_view(), name="application"),
]
