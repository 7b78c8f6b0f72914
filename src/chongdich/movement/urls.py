from django.urls import path  # noqa: F401 - routes added per area

app_name = "movement"

urlpatterns: list = []
