from django.urls import path

from chongdich.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/<int:pk>/", views.announcement, name="announcement"),
    path("language/<str:code>/", views.language, name="language"),
    path("manage/", views.manage, name="manage"),
    path("manage/new/", views.manage_new, name="manage_new"),
    path("manage/<int:pk>/", views.manage_edit, name="manage_edit"),
    path("manage/<int:pk>/withdraw/", views.manage_withdraw, name="manage_withdraw"),
    path("manage/hotlines/add/", views.hotline_add, name="hotline_add"),
    path("manage/hotlines/<int:pk>/remove/", views.hotline_remove, name="hotline_remove"),
    path("<str:code>/", views.unit_page, name="unit"),
]
