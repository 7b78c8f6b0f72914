"""Vaccination pages: thin views (parse → one action or selector → render)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.access import capability_required
from chongdich.core.scoping import has_capability
from chongdich.vaccination.models import EDIT, VIEW
from chongdich.vaccination.selectors.table import overview
from chongdich.vaccination.views.table import optional_url

# The vaccination pages the index links to: (URL name, label, capability).  Each area adds its line;
# a page whose route does not exist (yet) is left out, so a line may come before its page.
PAGES = [
    ("vaccination:sessions", _("Sessions"), VIEW),
    ("vaccination:session_create", _("Plan a session"), EDIT),
    # targets
    ("vaccination:targets", _("Target lists"), VIEW),
    ("vaccination:due", _("Due and overdue"), VIEW),
    # stock
    ("vaccination:sites", _("Vaccination sites"), VIEW),
    ("vaccination:stock", _("Stock by lot"), VIEW),
    ("vaccination:lots", _("Vaccine lots"), VIEW),
    ("vaccination:aefi_list", _("Adverse events (AEFI)"), VIEW),
    # certs
    ("vaccination:certificates", _("Certificates"), VIEW),
    # platform
    ("vaccination:reconcile_list", _("National platform: records to reconcile"), VIEW),
    # coverage
    ("dashboard:coverage", _("Coverage"), VIEW),
    ("vaccination:rules", _("Vaccines, intervals and priority groups"), VIEW),
]


def page_links(user) -> list[tuple[str, str]]:
    links = []
    for name, label, capability in PAGES:
        url = optional_url(name)
        if url is not None and has_capability(user, capability):
            links.append((url, label))
    return links


@capability_required(VIEW)
def index(request):
    today = clock.today()
    return render(
        request,
        "vaccination/index.html",
        {
            "overview": overview(request.user, today),
            "links": page_links(request.user),
            "can_edit": has_capability(request.user, EDIT),
        },
    )
