from django.urls import path  # noqa: F401 - routes added per area

from chongdich.movement.views import offline

app_name = "movement"

urlpatterns: list = [
    # offline: the service worker of the pages with an outbox form (scope /movement/)
    path("sw.js", offline.service_worker, name="service_worker"),
]
