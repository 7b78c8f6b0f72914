from django.urls import path

from chongdich.movement.views import declarations

app_name = "movement"

urlpatterns: list = []

# -- declarations: the public form, its receipt and picker; the officers' list, page and lookup --------
urlpatterns += [
    path("declare/", declarations.declare, name="declare"),
    path("declare/units/", declarations.declaration_units, name="declaration_units"),
    path("declare/<str:receipt>/", declarations.declaration_receipt, name="declaration_receipt"),
    path("declarations/", declarations.declaration_list, name="declarations"),
    path("declarations/export.xlsx", declarations.declaration_export, name="declaration_export"),
    path("declarations/lookup/", declarations.declaration_lookup, name="declaration_lookup"),
    path("declarations/<int:pk>/", declarations.declaration_detail, name="declaration"),
]
