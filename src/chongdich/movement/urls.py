from django.urls import path

from chongdich.movement.views import alerts, candidates, checkpoints, declarations, offline, overview, venues
from chongdich.movement.views import greenlane as greenlane_views
from chongdich.movement.views import settings as settings_views

app_name = "movement"

urlpatterns: list = [
    # -- offline: the service worker of the pages with an outbox form (scope /movement/) -----------------
    path("sw.js", offline.service_worker, name="service_worker"),
    # -- venues: venues, QR posters, the public check-in page, the staff scan, devices; candidate contacts --
    path("c/<str:code>/", venues.checkin, name="checkin"),
    path("venues/", venues.venue_list, name="venues"),
    path("checkins/", venues.checkin_list, name="checkins"),
    path("venues/new/", venues.venue_create, name="venue_create"),
    path("venues/<int:pk>/", venues.venue_detail, name="venue"),
    path("venues/<int:pk>/edit/", venues.venue_edit, name="venue_edit"),
    path("venues/<int:pk>/poster/", venues.venue_poster, name="venue_poster"),
    path("venues/<int:pk>/poster.pdf", venues.venue_poster_pdf, name="venue_poster_pdf"),
    path("venues/<int:pk>/scan/", venues.venue_scan, name="venue_scan"),
    path("venues/<int:pk>/devices/", venues.device_create, name="venue_device_create"),
    path("venue-devices/<int:pk>/revoke/", venues.device_revoke, name="venue_device_revoke"),
    path("cases/<int:pk>/candidates/", candidates.candidate_review, name="candidate_review"),
    # -- end venues ---------------------------------------------------------------------------------------------
    # -- checkpoints: checkpoints, shifts and their printed log, the passage screen, passages ----------
    path("checkpoints/", checkpoints.checkpoint_list, name="checkpoints"),
    path("checkpoints/new/", checkpoints.checkpoint_create, name="checkpoint_create"),
    path("checkpoints/<int:pk>/", checkpoints.checkpoint_detail, name="checkpoint"),
    path("checkpoints/<int:pk>/devices/", checkpoints.checkpoint_device_create, name="checkpoint_device_create"),
    path("checkpoint-devices/<int:pk>/revoke/", checkpoints.checkpoint_device_revoke, name="checkpoint_device_revoke"),
    path("checkpoints/<int:pk>/edit/", checkpoints.checkpoint_edit, name="checkpoint_edit"),
    path("checkpoints/<int:pk>/shifts/new/", checkpoints.shift_create, name="shift_create"),
    path("checkpoints/<int:pk>/pass/", checkpoints.passage_screen, name="passage_screen"),
    path("checkpoints/<int:pk>/pass/preview/", checkpoints.passage_preview, name="passage_preview"),
    path("shifts/<int:pk>/", checkpoints.shift_detail, name="shift"),
    path("shifts/<int:pk>/edit/", checkpoints.shift_edit, name="shift_edit"),
    path("shifts/<int:pk>/log/", checkpoints.shift_log, name="shift_log"),
    path("shifts/<int:pk>/log.pdf", checkpoints.shift_log_pdf, name="shift_log_pdf"),
    path("passages/", checkpoints.passage_list, name="passages"),
    path("passages/export.xlsx", checkpoints.passage_export, name="passages_export"),
    path("communes/", checkpoints.commune_search, name="communes"),
    # -- end checkpoints --------------------------------------------------------------------------------
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

# -- green lane (cards, trips) and the province's settings --------------------------------------------
urlpatterns += [
    path("green-lane/cards/", greenlane_views.card_list, name="cards"),
    path("green-lane/cards/export.xlsx", greenlane_views.card_export, name="card_export"),
    path("green-lane/cards/new/", greenlane_views.card_create, name="card_create"),
    path("green-lane/cards/<int:pk>/", greenlane_views.card_detail, name="card"),
    path("green-lane/cards/<int:pk>/edit/", greenlane_views.card_edit, name="card_edit"),
    path("green-lane/cards/<int:pk>/revoke/", greenlane_views.card_revoke, name="card_revoke"),
    path("green-lane/cards/<int:pk>/print/", greenlane_views.card_print, name="card_print"),
    path("green-lane/trips/", greenlane_views.trip_list, name="trips"),
    path("green-lane/trips/new/", greenlane_views.trip_create, name="trip_create"),
    path("green-lane/trips/<int:pk>/", greenlane_views.trip_detail, name="trip"),
    path("green-lane/trips/<int:pk>/edit/", greenlane_views.trip_edit, name="trip_edit"),
    path("green-lane/trips/<int:pk>/arrived/", greenlane_views.trip_arrive, name="trip_arrive"),
    path("green-lane/trips/<int:pk>/cancel/", greenlane_views.trip_cancel, name="trip_cancel"),
    path("settings/", settings_views.settings_page, name="settings"),
]
# -- end green lane -----------------------------------------------------------------------------------
