from django.urls import path

from chongdich.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("settings/<str:code>/", views.settings_page, name="settings"),
    path("<str:code>/", views.today, name="today"),
    path("<str:code>/<str:day>/", views.detail, name="detail"),
    path("<str:code>/<str:day>/report.xlsx", views.export_xlsx, name="xlsx"),
    path("<str:code>/<str:day>/report.pdf", views.export_pdf, name="pdf"),
    path("<str:code>/<str:day>/reopen/", views.reopen, name="reopen"),
]
