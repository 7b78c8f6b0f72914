"""The project's URLs with the surveillance pages at /cases/, until the root URLconf mounts them."""

from django.urls import include, path

from chongdich.urls import urlpatterns as root

_mounted = any(getattr(pattern, "namespace", None) == "surveillance" for pattern in root)
urlpatterns = root if _mounted else [path("cases/", include("chongdich.surveillance.urls")), *root]
