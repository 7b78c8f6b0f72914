from django.urls import path

from chongdich.notices import views

app_name = "notices"

urlpatterns = [
    path("", views.notice_list, name="list"),
    path("<int:pk>/", views.notice_open, name="open"),
    path("read/", views.mark_read, name="read"),
    path("settings/", views.notice_settings, name="settings"),
]
