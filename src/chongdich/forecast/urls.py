from django.urls import path

from chongdich.forecast import views

app_name = "forecast"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("ranking.xlsx", views.ranking_export, name="ranking_export"),
    path("runouts.xlsx", views.runout_export, name="runout_export"),
    path("unit/<str:code>/", views.unit_page, name="unit"),
    path("settings/", views.settings_page, name="settings"),
    path("runs/", views.run_list, name="runs"),
    path("runs/start/", views.run_start, name="run_start"),
    path("runs/<int:pk>/", views.run_page, name="run"),
]
