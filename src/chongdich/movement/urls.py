from django.urls import path  # noqa: F401 - routes added per area

from chongdich.movement.views import candidates, venues

app_name = "movement"

urlpatterns: list = [
    # -- venues: venues, QR posters, the public check-in page, the staff scan, devices; candidate contacts --
    path("c/<str:code>/", venues.checkin, name="checkin"),
    path("venues/", venues.venue_list, name="venues"),
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
]
