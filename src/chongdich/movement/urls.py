from django.urls import path  # noqa: F401 - routes added per area

from chongdich.movement.views import greenlane as greenlane_views
from chongdich.movement.views import settings as settings_views

app_name = "movement"

urlpatterns: list = []

# -- green lane (cards, trips) and the province's settings --------------------------------------------
urlpatterns += [
    path("green-lane/cards/", greenlane_views.card_list, name="cards"),
    path("green-lane/cards/export.xlsx", greenlane_views.card_export, name="card_export"),
    path("green-lane/cards/new/", greenlane_views.card_create, name="card_create"),
    path("green-lane/cards/<int:pk>/", greenlane_views.card_detail, name="card"),
    path("green-lane/cards/<int:pk>/edit/", greenlane_views.card_edit, name="card_edit"),
    path("green-lane/cards/<int:pk>/revoke/", greenlane_views.card_revoke, name="card_revoke"),
    path("green-lane/cards/<int:pk>/print/", greenlane_views.card_print, name="card_print"),
    path("green-lane/trips/", greenlane_views.trip_list, name="trips"),
    path("green-lane/trips/new/", greenlane_views.trip_create, name="trip_create"),
    path("green-lane/trips/<int:pk>/", greenlane_views.trip_detail, name="trip"),
    path("green-lane/trips/<int:pk>/arrived/", greenlane_views.trip_arrive, name="trip_arrive"),
    path("green-lane/trips/<int:pk>/cancel/", greenlane_views.trip_cancel, name="trip_cancel"),
    path("settings/", settings_views.settings_page, name="settings"),
]
