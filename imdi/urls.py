from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from core.views import HomeView

admin.site.site_header = "IMDi – administrasjon av grunndata"

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    # Browsers ask for /favicon.ico before reading the page's <link rel="icon">: no 404 in the log.
    # Resolved per request so the hashed name from the production manifest storage is used.
    path("favicon.ico", RedirectView.as_view(get_redirect_url=lambda *a, **k: static("imdi/favicon.ico")), name="favicon"),
    path("logg-inn/", auth_views.LoginView.as_view(), name="login"),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("bosetting/", include("settlement.urls")),
    path("rapportering/", include("reporting.urls")),
    path("tilskudd/", include("grants.urls")),
    path("avtaler/", include("agreements.urls")),
    path("api/v1/", include("imdi.api_urls")),
    path("admin/", admin.site.urls),
]
