"""The test URLs plus a stand-in health-declaration form (the movement module will provide the real one)."""

from django.http import HttpResponse
from django.urls import include, path

from tests.reports.urls import urlpatterns as mounted

declarations = ([path("new/", lambda request: HttpResponse("form"), name="new")], "declarations")
urlpatterns = [path("declarations/", include(declarations)), *mounted]
