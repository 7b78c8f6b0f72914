from django.urls import path

from chongdich.desk import views

app_name = "desk"
urlpatterns = [
    path("imports/", views.imports, name="imports"),
    path("imports/template/<str:kind>.xlsx", views.import_template, name="import_template"),
    path("imports/new/<str:kind>/", views.import_new, name="import_new"),
    path("imports/<int:pk>/", views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", views.import_confirm, name="import_confirm"),
    path("imports/<int:pk>/rejected.xlsx", views.import_rejected, name="import_rejected"),
    path("audit/", views.audit_log, name="audit"),
]
