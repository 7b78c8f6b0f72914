from django.urls import path

from chongdich.movement.views import alerts, declarations, overview

app_name = "movement"

urlpatterns: list = [
    # -- alerts ----------------------------------------------------------------------------------------
    path("", overview.index, name="index"),
    path("alerts/", alerts.alert_list, name="alerts"),
    path("alerts/export.xlsx", alerts.alert_export, name="alerts_export"),
    path("alerts/report/", alerts.alert_report, name="alert_report"),
    path("alerts/<int:pk>/", alerts.alert_detail, name="alert"),
    path("alerts/<int:pk>/take/", alerts.alert_take, name="alert_take"),
    path("alerts/<int:pk>/finish/", alerts.alert_finish, name="alert_finish"),
    path("alerts/<int:pk>/reopen/", alerts.alert_reopen, name="alert_reopen"),
    path("alerts/<int:pk>/order/", alerts.alert_order, name="alert_order"),
    path("alerts/<int:pk>/sample/", alerts.alert_sample, name="alert_sample"),
    # -- end alerts ------------------------------------------------------------------------------------
    # -- declarations: the public form, its receipt and picker; the officers' list, page and lookup --------
    path("declare/", declarations.declare, name="declare"),
    path("declare/units/", declarations.declaration_units, name="declaration_units"),
    path("declare/<str:receipt>/", declarations.declaration_receipt, name="declaration_receipt"),
    path("declarations/", declarations.declaration_list, name="declarations"),
    path("declarations/export.xlsx", declarations.declaration_export, name="declaration_export"),
    path("declarations/lookup/", declarations.declaration_lookup, name="declaration_lookup"),
    path("declarations/<int:pk>/", declarations.declaration_detail, name="declaration"),
    # -- end declarations ----------------------------------------------------------------------------
]
