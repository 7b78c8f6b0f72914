from django.urls import path

from chongdich.vaccination.views import overview, platform

app_name = "vaccination"

urlpatterns = [
    path("", overview.index, name="index"),
    # -- platform: the national platform's records to reconcile --
    path("reconcile/", platform.reconcile_list, name="reconcile_list"),
    path("reconcile/<int:pk>/", platform.reconcile, name="reconcile"),
]
