from django.urls import path

from chongdich.vaccination.views import overview, targets

app_name = "vaccination"

urlpatterns = [
    path("", overview.index, name="index"),
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
]
