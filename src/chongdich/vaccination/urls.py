from django.urls import path

from chongdich.vaccination import views

app_name = "vaccination"

urlpatterns = [
    path("", views.index, name="index"),
]
