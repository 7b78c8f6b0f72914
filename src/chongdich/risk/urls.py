from django.urls import path

from chongdich.risk import views

app_name = "risk"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("measures/", views.measures, name="measures"),
    path("settings/<str:code>/", views.province_settings, name="settings"),
    path("tasks/<int:pk>/status/", views.task_status, name="task_status"),
    path("<str:code>/", views.unit_page, name="unit"),
    path("<str:code>/override/", views.override, name="override"),
    path("<str:code>/override/<int:pk>/withdraw/", views.override_withdraw, name="override_withdraw"),
    path("<str:code>/readiness/", views.readiness, name="readiness"),
    path("<str:code>/scenario/", views.scenario, name="scenario"),
]
