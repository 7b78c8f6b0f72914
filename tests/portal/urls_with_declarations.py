"""The project's URLs plus a stand-in health-declaration form (the movement module will provide the real one)."""

from django.http import HttpResponse
from django.urls import include, path

from chongdich.urls import urlpatterns as mounted

declarations = ([path("new/", lambda request: HttpResponse("form"), name="new")], "declarations")
urlpatterns = [path("declarations/", include(declarations)), *mounted]
