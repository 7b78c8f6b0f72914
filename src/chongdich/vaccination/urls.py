from django.urls import path

from chongdich.vaccination.views import certs, overview, table

app_name = "vaccination"

urlpatterns = [
    path("", overview.index, name="index"),
    # certs: certificates and the public verification page (no login) that their QR codes open
    path("certificates/", certs.certificates, name="certificates"),
    path("people/<int:pk>/certificate/", certs.certificate, name="certificate"),
    path("people/<int:pk>/certificate.pdf", certs.certificate_pdf, name="certificate_pdf"),
    path("verify/", certs.verify, name="verify"),
    # table: sessions, the vaccination table, observation, doses
    path("sessions/", table.session_list, name="sessions"),
    path("sessions/new/", table.session_create, name="session_create"),
    path("sessions/<int:pk>/", table.session_detail, name="session"),
    path("sessions/<int:pk>/edit/", table.session_edit, name="session_edit"),
    path("sessions/<int:pk>/status/", table.session_status, name="session_status"),
    path("sessions/<int:pk>/table/", table.table, name="table"),
    path("sessions/<int:pk>/table/<int:person>/", table.table_person, name="table_person"),
    path("sessions/<int:pk>/table/<int:person>/screen/", table.screen, name="screen"),
    path("sessions/<int:pk>/table/<int:person>/dose/", table.record_dose, name="record_dose"),
    path("sessions/<int:pk>/observation/", table.observation, name="observation"),
    path("doses/<int:pk>/", table.dose_detail, name="dose"),
    path("doses/<int:pk>/observed/", table.dose_observed, name="dose_observed"),
    path("doses/<int:pk>/void/", table.dose_void, name="dose_void"),
]
