"""The project's URLs with the reports and portal pages mounted, whether or not the project mounts
them yet (the lead mounts ``chongdich.reports.urls`` at /reports/ and ``chongdich.portal.urls`` at
/public/)."""

from django.urls import include, path

from chongdich.urls import urlpatterns as project

mounted = {getattr(p, "namespace", None) for p in project}

urlpatterns = []
if "reports" not in mounted:
    urlpatterns.append(path("reports/", include("chongdich.reports.urls")))
if "portal" not in mounted:
    urlpatterns.append(path("public/", include("chongdich.portal.urls")))
urlpatterns += project
