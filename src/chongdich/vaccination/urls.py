from django.urls import path

from chongdich.vaccination.views import certs, overview

app_name = "vaccination"

urlpatterns = [
    path("", overview.index, name="index"),
    # certs: certificates and the public verification page (no login) that their QR codes open
    path("people/<int:pk>/certificate/", certs.certificate, name="certificate"),
    path("people/<int:pk>/certificate.pdf", certs.certificate_pdf, name="certificate_pdf"),
    path("verify/", certs.verify, name="verify"),
]
