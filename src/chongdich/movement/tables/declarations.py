"""The officers' list of health declarations."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chongdich.movement.models import Declaration
from chongdich.people.identity import display_phone

SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}


class DeclarationTable(tables.Table):
    received_at = tables.DateTimeColumn(
        verbose_name=_("Received"),
        format="d/m/Y H:i",
        linkify=lambda record: reverse("movement:declaration", args=[record.pk]),
    )
    full_name = tables.Column(verbose_name=_("Full name"))
    birth_year = tables.Column(verbose_name=_("Year of birth"), attrs=SMALL_SCREEN_HIDDEN)
    phone = tables.Column(verbose_name=_("Phone"), orderable=False)
    unit = tables.Column(
        verbose_name=_("Staying at"), accessor="unit__name", orderable=False, attrs=SMALL_SCREEN_HIDDEN
    )
    flags = tables.Column(verbose_name=_("Attention"), accessor="symptomatic", orderable=False, empty_values=())
    receipt = tables.Column(verbose_name=_("Receipt"), orderable=False, attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = Declaration
        fields = ("received_at", "full_name", "birth_year", "phone", "unit", "flags", "receipt")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "declarations-table"}
        empty_text = _("No declaration.")

    def render_phone(self, value):
        return display_phone(value)

    def render_flags(self, record):
        badges = []
        if record.symptomatic:
            badges.append(format_html('<span class="badge text-bg-danger">{}</span>', _("symptoms")))
        if record.from_watched_area:
            badges.append(format_html('<span class="badge text-bg-warning">{}</span>', _("epidemic area")))
        return format_html(" ".join(["{}"] * len(badges)), *badges) if badges else "—"
