"""Tables of venues and of a venue's check-ins (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chongdich.movement.models import CheckIn, Venue
from chongdich.people.identity import display_phone

SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}
NUMBER = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}


class VenueTable(tables.Table):
    name = tables.Column(verbose_name=_("Venue"), linkify=lambda record: record.get_absolute_url())
    code = tables.Column(verbose_name=_("Code"), attrs={"td": {"class": "font-monospace"}})
    kind = tables.Column(verbose_name=_("Kind"), attrs=SMALL_SCREEN_HIDDEN)
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name", order_by=("unit__path", "name"))
    temperature_check = tables.BooleanColumn(verbose_name=_("Temperature"), attrs=SMALL_SCREEN_HIDDEN)
    active = tables.BooleanColumn(verbose_name=_("Open"), attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = Venue
        fields = ("name", "code", "kind", "unit", "temperature_check", "active")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "venues-table"}
        empty_text = _("No venue in your area yet.")


class CheckInTable(tables.Table):
    at = tables.Column(verbose_name=_("Time"))
    direction = tables.Column(verbose_name=_("In / out"))
    full_name = tables.Column(verbose_name=_("Full name"))
    phone = tables.Column(verbose_name=_("Phone"))
    temperature = tables.Column(verbose_name=_("Temperature"), attrs=NUMBER)
    method = tables.Column(verbose_name=_("How"), attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = CheckIn
        fields = ("at", "direction", "full_name", "phone", "temperature", "method")
        attrs = {"class": "table table-sm align-middle", "id": "checkins-table"}
        empty_text = _("Nobody has checked in today yet.")
        orderable = False

    def render_at(self, value):
        return timezone.localtime(value).strftime("%H:%M")

    def render_phone(self, value):
        return display_phone(value)

    def render_temperature(self, value):
        return f"{value} °C".replace(".", ",")


class CheckInListTable(CheckInTable):
    """The check-ins of an area over days: the venue and the date too."""

    venue = tables.Column(verbose_name=_("Venue"), linkify=True, accessor="venue")

    class Meta(CheckInTable.Meta):
        fields = ("at", "venue", "direction", "full_name", "phone", "temperature", "method")
        sequence = ("at", "venue", "direction", "full_name", "phone", "temperature", "method")
        attrs = {"class": "table table-sm align-middle", "id": "checkin-list"}
        empty_text = _("No check-in matches.")

    def render_at(self, value):
        return timezone.localtime(value).strftime("%H:%M %d/%m/%Y")
