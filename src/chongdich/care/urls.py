from django.urls import path

from chongdich.care import printing
from chongdich.care.views import bulk, facilities, orders, quarantine, stays, worklist

app_name = "care"
urlpatterns = [
    path("", worklist.today, name="today"),
    path("facilities/", facilities.facility_list, name="facilities"),
    path("facilities/new/", facilities.facility_create, name="facility_create"),
    path("facilities/admit/", stays.admit_choice, name="admit_choice"),
    path("facilities/<int:pk>/", facilities.facility_detail, name="facility"),
    path("facilities/<int:pk>/edit/", facilities.facility_edit, name="facility_edit"),
    path("facilities/<int:pk>/beds/", facilities.capacity_change, name="capacity"),
    path("facilities/<int:pk>/admit/", stays.admit, name="admit"),
    path("stays/<int:pk>/discharge/", stays.discharge, name="discharge"),
    path("stays/<int:pk>/transfer/", stays.transfer, name="transfer"),
    path("stays/<int:pk>/print/", printing.stay_print, name="stay_print"),
    path("orders/", orders.order_list, name="orders"),
    path("quarantine/", quarantine.quarantine_list, name="quarantine"),
    path("orders/new/<str:kind>/", orders.order_create, name="order_create"),
    path("orders/<int:pk>/", orders.order_detail, name="order"),
    path("orders/<int:pk>/check/", orders.monitoring_create, name="monitoring"),
    path("orders/<int:pk>/end/", orders.order_end, name="order_end"),
    path("orders/<int:pk>/print/", printing.order_print, name="order_print"),
    path("alerts/<int:pk>/resolve/", orders.alert_resolve, name="alert_resolve"),
    path("people/<int:pk>/", orders.person_care, name="person"),
    path("bulk/", bulk.bulk_new, name="bulk_new"),
    path("bulk/<int:pk>/", bulk.bulk_detail, name="bulk"),
    path("bulk/<int:pk>/print/", printing.bulk_print, name="bulk_print"),
]
