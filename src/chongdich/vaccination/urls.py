from django.urls import path

from chongdich.vaccination.views import overview

app_name = "vaccination"

urlpatterns = [
    path("", overview.index, name="index"),
]
