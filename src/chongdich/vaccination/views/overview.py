"""Vaccination pages: thin views (parse → one action or selector → render)."""

from __future__ import annotations

from django.shortcuts import render

from chongdich.core.access import capability_required
from chongdich.vaccination.models import VIEW


@capability_required(VIEW)
def index(request):
    return render(request, "vaccination/index.html", {})
