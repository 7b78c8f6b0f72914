"""The service worker of the movement pages (forms that work with a bad connection, issue 11).

``/movement/sw.js`` (scope ``/movement/``) keeps a copy of each page that carries a ``data-outbox``
form and of the static files, so that a page once visited opens without a connection, and sends the
outbox that ``static/movement/outbox.js`` keeps in IndexedDB by Background Sync.  Served by a view, not
as a static file: a worker's scope can only be its own folder or below, and its configuration (the
addresses of the static files, the version that names its cache) is written into it here.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import get_template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from django_htmx.jinja import htmx_script

SCOPE = "/movement/"
# The files every page loads (templates/base.html), and the outbox itself.
ASSETS = (
    "xstatic/bootstrap/css/bootstrap.min.css",
    "chongdich/app.css",
    "chongdich/favicon.svg",
    "xstatic/bootstrap/js/bootstrap.bundle.min.js",
    "chongdich/app.js",
    "movement/outbox.js",
)


def _asset_urls() -> list[str]:
    urls = [static(name) for name in ASSETS]
    htmx = re.search(r'src="([^"]+)"', str(htmx_script()))
    return [*urls, htmx.group(1)] if htmx else urls


@lru_cache(maxsize=1)
def _version() -> str:
    """Changes whenever the worker, the outbox or the list of files changes: a new cache, old ones dropped."""
    digest = hashlib.sha256()
    digest.update(get_template("movement/offline/sw.js").template.source.encode())
    outbox = finders.find("movement/outbox.js")
    if outbox:
        with open(outbox, "rb") as file:
            digest.update(file.read())
    digest.update(json.dumps(_asset_urls()).encode())
    digest.update(settings.STATIC_URL.encode())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    config = {
        "version": _version(),
        "scope": SCOPE,
        "static": settings.STATIC_URL,
        "login": reverse("accounts:login"),
        "outbox": static("movement/outbox.js"),
        "assets": _asset_urls(),
        "texts": {
            "title": _("No connection"),
            "body": _(
                "This page has not been opened on this device yet, so it cannot be shown without a connection. "
                "Open it once while connected; after that it opens offline too."
            ),
        },
    }
    body = get_template("movement/offline/sw.js").render({"config": json.dumps(config, ensure_ascii=False)})
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-store"  # a new version reaches the devices at their next visit
    response["Service-Worker-Allowed"] = SCOPE
    return response
