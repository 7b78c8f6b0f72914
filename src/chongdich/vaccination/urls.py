from django.urls import path

from chongdich.vaccination.views import aefi, overview, stock

app_name = "vaccination"

urlpatterns = [
    path("", overview.index, name="index"),
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
]
