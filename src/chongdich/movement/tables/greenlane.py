"""Tables of green-lane cards and trips (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chongdich.movement.models import GreenCard, Trip
from chongdich.movement.selectors.greenlane import card_status, plate_display, trip_status

SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}
NUMBER = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}
CARD_BADGES = {
    "valid": ("text-bg-success", _("valid")),
    "revoked": ("text-bg-danger", _("revoked")),
    "expired": ("text-bg-secondary", _("expired")),
    "not_yet": ("text-bg-info", _("not yet valid")),
}
TRIP_BADGES = {
    "under_way": ("text-bg-primary", _("under way")),
    "late": ("text-bg-warning", _("late")),
    "overdue": ("text-bg-danger", _("overdue")),
    "arrived": ("text-bg-success", _("arrived")),
    "cancelled": ("text-bg-secondary", _("cancelled")),
}


def badge(badges: dict, state: str) -> str:
    css, label = badges[state]
    return format_html('<span class="badge {}">{}</span>', css, label)


def card_badge(card: GreenCard) -> str:
    return badge(CARD_BADGES, card_status(card))


def trip_badge(trip: Trip) -> str:
    return badge(TRIP_BADGES, trip_status(trip))


def when(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else "—"


class CardTable(tables.Table):
    plate = tables.Column(verbose_name=_("Plate"), linkify=lambda record: record.get_absolute_url())
    number = tables.Column(
        verbose_name=_("Card number"),
        attrs={"th": {"class": "hide-sm"}, "td": {"class": "font-monospace small hide-sm"}},
    )
    operator = tables.Column(verbose_name=_("Transport operator"), attrs=SMALL_SCREEN_HIDDEN)
    driver_name = tables.Column(verbose_name=_("Driver"), attrs=SMALL_SCREEN_HIDDEN)
    valid_to = tables.Column(verbose_name=_("Valid"), order_by=("valid_to", "pk"))
    state = tables.Column(verbose_name=_("State"), empty_values=(), orderable=False)

    class Meta:
        model = GreenCard
        fields = ("plate", "number", "operator", "driver_name", "valid_to", "state")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "cards-table"}
        empty_text = _("No green-lane card here.")

    def render_plate(self, value):
        return format_html('<span class="text-nowrap fw-semibold">{}</span>', plate_display(value))

    def render_valid_to(self, record):
        return format_html(
            '<span class="text-nowrap">{}–{}</span>', f"{record.valid_from:%d/%m}", f"{record.valid_to:%d/%m/%Y}"
        )

    def render_state(self, record):
        return card_badge(record)


class TripTable(tables.Table):
    plate = tables.Column(verbose_name=_("Plate"), linkify=lambda record: record.get_absolute_url())
    origin = tables.Column(verbose_name=_("From commune"), accessor="origin__name", order_by=("origin__folded_name",))
    unit = tables.Column(verbose_name=_("To commune"), accessor="unit__name", order_by=("unit_path",))
    departed_at = tables.Column(verbose_name=_("Departed"), attrs=SMALL_SCREEN_HIDDEN)
    expected_at = tables.Column(verbose_name=_("Expected"))
    people_on_board = tables.Column(verbose_name=_("On board"), attrs={**NUMBER, **SMALL_SCREEN_HIDDEN})
    state = tables.Column(verbose_name=_("State"), empty_values=(), orderable=False)

    class Meta:
        model = Trip
        fields = ("plate", "origin", "unit", "departed_at", "expected_at", "people_on_board", "state")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "trips-table"}
        empty_text = _("No green-lane trip here.")

    def render_plate(self, value):
        return format_html('<span class="text-nowrap fw-semibold">{}</span>', plate_display(value))

    def render_departed_at(self, value):
        return when(value)

    def render_expected_at(self, value):
        return when(value)

    def render_state(self, record):
        return trip_badge(record)
