from django.urls import path

from chongdich.surveillance import views

app_name = "surveillance"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("export.xlsx", views.case_export, name="export"),
    path("new/", views.case_confirm, name="confirm"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/move/", views.case_move, name="move"),
    path("<int:pk>/close/", views.case_close, name="close"),
    path("<int:pk>/reopen/", views.case_reopen, name="reopen"),
    path("<int:pk>/history/", views.case_history, name="history"),
    path("<int:pk>/tracing/", views.case_tracing, name="tracing"),
    path("<int:pk>/contacts.xlsx", views.case_contacts_export, name="contacts_export"),
    path("<int:pk>/contacts/template.xlsx", views.contacts_template, name="contacts_template"),
    path("people/<int:pk>/exposures/new/", views.exposure_create, name="exposure_create"),
    path("contacts/<int:pk>/status/", views.contact_status, name="contact_status"),
    path("tracing/", views.worklist_view, name="worklist"),
    path("tracing/export.xlsx", views.worklist_export, name="worklist_export"),
    path("clusters/", views.cluster_list, name="clusters"),
    path("clusters/new/", views.cluster_create, name="cluster_create"),
    path("clusters/<int:pk>/", views.cluster_detail, name="cluster"),
    path("clusters/<int:pk>/edit/", views.cluster_edit, name="cluster_edit"),
    path("chains/", views.chain_list, name="chains"),
    path("chains/<int:pk>/", views.chain_detail, name="chain"),
]
