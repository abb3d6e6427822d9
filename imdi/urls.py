from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core.views import HomeView

admin.site.site_header = "IMDi – administrasjon av grunndata"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("logg-inn/", auth_views.LoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("bosetting/", include("settlement.urls")),
    path("rapportering/", include("reporting.urls")),
    path("tilskudd/", include("grants.urls")),
    path("avtaler/", include("agreements.urls")),
    path("api/v1/", include("imdi.api_urls")),
    path("admin/", admin.site.urls),
]
