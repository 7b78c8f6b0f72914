"""The project's URLs with the testing pages under /testing/ (until the lead mounts them there), and
the testing API router on an API of its own under /api/testing-router/ (the same router object the
lead mounts under /api/v1/)."""

from django.urls import include, path
from ninja import NinjaAPI

from chongdich import urls as project
from chongdich.accounts.api import AUTH
from chongdich.core.webapi import errors
from chongdich.testing.api import router

handler403 = project.handler403
handler404 = project.handler404
handler500 = project.handler500

_mounted = any(getattr(pattern, "namespace", None) == "testing" for pattern in project.urlpatterns)
urlpatterns = (
    list(project.urlpatterns)
    if _mounted
    else [path("testing/", include("chongdich.testing.urls")), *project.urlpatterns]
)

api = NinjaAPI(title="testing router", version="test", auth=AUTH, urls_namespace="api-testing-router")
api.add_router("/", router, url_name_prefix="testing-router")
errors.install(api)  # the answers of the real API (Vietnamese, one shape)
urlpatterns.append(path("api/testing-router/", api.urls))
