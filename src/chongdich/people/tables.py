from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chongdich.people.models import Person

# Columns a 360 px phone drops: name, year and CCCD stay readable on one line.
SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}


class PersonTable(tables.Table):
    full_name = tables.Column(
        verbose_name=_("Full name"), linkify=("people:detail", {"pk": tables.A("pk")}), order_by=("folded_name", "pk")
    )
    birth_year = tables.Column(verbose_name=_("Born"))
    sex = tables.Column(verbose_name=_("Sex"), attrs=SMALL_SCREEN_HIDDEN)
    cccd = tables.Column(verbose_name=_("Citizen ID (CCCD)"), default="—")
    phone = tables.Column(
        verbose_name=_("Phone"), accessor="phone_display", default="—", orderable=False, attrs=SMALL_SCREEN_HIDDEN
    )
    unit = tables.Column(verbose_name=_("Lives in"), accessor="unit__name", orderable=False, attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = Person
        fields = ("full_name", "birth_year", "sex", "cccd", "phone", "unit")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "people-table"}
        empty_text = _("Nobody matches.")

    def render_cccd(self, value):
        return format_html('<span class="font-monospace">{}</span>', value)
