from django.urls import path

from chongdich.vaccination.views import aefi, certs, overview, platform, settings, stock, table, targets

app_name = "vaccination"

urlpatterns = [
    path("", overview.index, name="index"),
    path("rules/", settings.rules_page, name="rules"),
    # -- stock: sites, lots, stock movements; AEFI reports ----------------------------------------
    path("sites/", stock.site_list, name="sites"),
    path("sites/new/", stock.site_create, name="site_create"),
    path("sites/<int:pk>/", stock.site_detail, name="site"),
    path("sites/<int:pk>/edit/", stock.site_edit, name="site_edit"),
    path("sites/<int:pk>/stock/<str:kind>/", stock.movement, name="stock_movement"),
    path("stock/", stock.stock, name="stock"),
    path("stock/export.xlsx", stock.stock_export, name="stock_export"),
    path("lots/", stock.lot_list, name="lots"),
    path("lots/new/", stock.lot_create, name="lot_create"),
    path("aefi/", aefi.aefi_list, name="aefi_list"),
    path("aefi/new/", aefi.aefi_create, name="aefi_create"),
    path("aefi/<int:pk>/", aefi.aefi_detail, name="aefi"),
    path("aefi/<int:pk>/edit/", aefi.aefi_edit, name="aefi_edit"),
    path("aefi/<int:pk>/acknowledge/", aefi.aefi_acknowledge, name="aefi_acknowledge"),
    # -- targets: priority groups, target lists, due and overdue, invitations --------------------------
    path("targets/", targets.target_list, name="targets"),
    path("targets/export.xlsx", targets.target_export, name="targets_export"),
    path("targets/enrol/", targets.target_enrol, name="targets_enrol"),
    path("targets/invite/", targets.target_invite, name="targets_invite"),
    path("due/", targets.due_list, name="due"),
    path("due/export.xlsx", targets.due_export, name="due_export"),
    path("due/invite/", targets.due_invite, name="due_invite"),
    path("groups/upload/", targets.enrol_upload, name="enrol_upload"),
    path("groups/<int:pk>/remove/", targets.unenrol, name="unenrol"),
    path("people/<int:pk>/groups/", targets.person_enrol, name="person_enrol"),
    path("sessions/<int:pk>/invitations/", targets.invitation_list, name="invitations"),
    path("sessions/<int:pk>/invitations.xlsx", targets.invitation_export, name="invitations_export"),
    path("sessions/<int:pk>/slips/", targets.invitation_slips, name="invitation_slips"),
    path("invitations/<int:pk>/status/", targets.invitation_status, name="invitation_status"),
    # -- end targets --------------------------------------------------------------------------------------
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
    # -- platform: the national platform's records to reconcile --
    path("reconcile/", platform.reconcile_list, name="reconcile_list"),
    path("reconcile/<int:pk>/", platform.reconcile, name="reconcile"),
]
