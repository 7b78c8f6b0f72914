from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from chongdich.api.main import api
from chongdich.core import views as core_views
from chongdich.dashboard import views as dashboard_views

handler403 = "chongdich.core.views.forbidden"
handler404 = "chongdich.core.views.not_found"
handler500 = "chongdich.core.views.server_error"

urlpatterns = [
    # The dashboard of the user's area is what a steering committee opens every morning.
    path("", dashboard_views.index, name="home"),
    path("dashboard/", include("chongdich.dashboard.urls")),
    path("healthz", core_views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (printouts, PDFs, errors).
    path("favicon.ico", core_views.favicon),
    path("accounts/", include("chongdich.accounts.urls")),
    path("units/", include("chongdich.territory.urls")),
    path("people/", include("chongdich.people.urls")),
    path("cases/", include("chongdich.surveillance.urls")),
    path("testing/", include("chongdich.testing.urls")),
    path("care/", include("chongdich.care.urls")),
    path("vaccination/", include("chongdich.vaccination.urls")),
    path("movement/", include("chongdich.movement.urls")),
    path("forecast/", include("chongdich.forecast.urls")),
    path("notices/", include("chongdich.notices.urls")),
    path("risk/", include("chongdich.risk.urls")),
    path("reports/", include("chongdich.reports.urls")),
    path("public/", include("chongdich.portal.urls")),
    # The health declaration's short address, for posters and text messages.
    path("khai-bao/", RedirectView.as_view(pattern_name="movement:declare", permanent=False), name="declare_short"),
    path("", include("chongdich.desk.urls")),
    path("api/v1/", api.urls),
    path("api/docs", RedirectView.as_view(url="/api/v1/docs", permanent=False)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("django-admin/", admin.site.urls),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
