from django.urls import path

from chongdich.dashboard import views

app_name = "dashboard"
urlpatterns = [
    path("", views.index, name="index"),
    path("coverage/", views.coverage, name="coverage"),
    path("map/", views.map_view, name="map"),
    path("map/data.json", views.map_data, name="map_data"),
    path("map/shapes.json", views.map_shapes, name="map_shapes"),
]
