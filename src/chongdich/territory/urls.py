from django.urls import path

from chongdich.territory import views

app_name = "territory"
urlpatterns = [
    path("", views.tree, name="tree"),
    path("<str:code>/", views.detail, name="detail"),
    path("<str:code>/edit/", views.edit, name="edit"),
    path("<str:code>/villages/new/", views.village_create, name="village_create"),
    path("<str:code>/history/", views.history, name="history"),
]
