"""The movement index: today's figures of the user's area and the open alerts to act on."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.scoping import has_capability
from chongdich.movement.models import EDIT, VIEW
from chongdich.movement.selectors.alerts import open_alerts
from chongdich.movement.selectors.overview import area_of, figure_links, figures, list_url

# The movement pages the index links to: (URL name, label, capability).  Each area adds its line; a
# page whose route does not exist (yet) is left out.
PAGES = [
    # alerts
    ("movement:alerts", _("Alerts to the commune"), VIEW),
    ("movement:alert_report", _("Report an undeclared arrival"), VIEW),
    # checkpoints
    ("movement:checkpoints", _("Checkpoints"), VIEW),
    ("movement:passages", _("Passages"), VIEW),
    # greenlane
    ("movement:cards", _("Green-lane cards"), VIEW),
    ("movement:trips", _("Green-lane trips"), VIEW),
    # venues
    ("movement:venues", _("Venues and QR check-in"), VIEW),
    ("movement:checkins", _("Check-ins"), VIEW),
    # declarations
    ("movement:declarations", _("Health declarations"), VIEW),
    # the province's settings (committees of the province edit; everyone reads)
    ("movement:settings", _("Movement settings"), VIEW),
]


def page_links(user) -> list[tuple[str, str]]:
    links = []
    for name, label, capability in PAGES:
        url = list_url(name, {})
        if url is not None and has_capability(user, capability):
            links.append((url, label))
    return links


@capability_required(VIEW)
def index(request):
    area = area_of(request.user, request.GET.get("unit", ""))
    if area is None:
        raise Http404
    today = clock.today()
    alerts, open_count = open_alerts(request.user)
    audit.record_read(request, pgettext_lazy("nav", "Movement"), alerts)
    return render(
        request,
        "movement/index.html",
        {
            "area": area,
            "today": today,
            "figures": figures(area, today),
            "links": figure_links(area.unit, today, linked=area.linked),
            "alerts": alerts,
            "open_count": open_count,
            "pages": page_links(request.user),
            "can_edit": has_capability(request.user, EDIT),
            "open_url": list_url("movement:alerts", {"state": "open"}),
        },
    )
