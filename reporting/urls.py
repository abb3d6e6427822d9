from django.urls import path

from . import views

app_name = "reporting"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("rapporter/", views.SnapshotListView.as_view(), name="snapshots"),
    path("rapporter/<int:pk>/", views.SnapshotDetailView.as_view(), name="snapshot"),
    path("rapporter/<int:pk>/status/", views.SnapshotStatusView.as_view(), name="snapshot_status"),
    path("rapporter/<int:pk>/eksport.<str:fmt>", views.SnapshotExportView.as_view(), name="snapshot_export"),
    path("maloppnaelse/", views.GoalReportView.as_view(), name="goals"),
    path("maloppnaelse/registrer/", views.IndicatorValueView.as_view(), name="indicator_values"),
]
