"""The project's URLs with the risk pages and API mounted, whether or not the project mounts them
yet (the lead mounts ``chongdich.risk.urls`` at /risk/ and the API router in api/main.py)."""

from django.urls import include, path
from ninja import NinjaAPI

from chongdich.accounts.api import AUTH
from chongdich.api.main import api
from chongdich.risk import api as risk_api
from chongdich.urls import urlpatterns as project

mounted_pages = any(getattr(p, "namespace", None) == "risk" for p in project)
mounted_api = any(router is risk_api.router for _prefix, router in api._routers)

urlpatterns = [] if mounted_pages else [path("risk/", include("chongdich.risk.urls"))]
if not mounted_api:
    test_api = NinjaAPI(title="risk (tests)", version="test", auth=AUTH, urls_namespace="risk-api-tests", docs_url=None)
    test_api.add_router("/", risk_api.router)
    urlpatterns.append(path("api/v1/", test_api.urls))
urlpatterns += project
