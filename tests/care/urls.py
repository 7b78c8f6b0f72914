"""The project's URLs with the care pages mounted at /care/ (until the lead mounts them in chongdich.urls)."""

from django.urls import include, path

from chongdich.urls import urlpatterns as project_urlpatterns

mounted = any(getattr(p, "namespace", None) == "care" for p in project_urlpatterns)
urlpatterns = (
    list(project_urlpatterns) if mounted else [path("care/", include("chongdich.care.urls")), *project_urlpatterns]
)
