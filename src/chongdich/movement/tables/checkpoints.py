"""Tables of checkpoints, shifts and passages (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chongdich.movement.models import Checkpoint, Passage, PassageAction, Shift
from chongdich.movement.selectors.checkpoints import plate_display

HIDE_SM = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}
NUMBER = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}
ACTION_BADGES = {
    PassageAction.THROUGH: "text-bg-success",
    PassageAction.TESTED: "text-bg-info",
    PassageAction.TURNED_BACK: "text-bg-warning",
    PassageAction.QUARANTINE: "text-bg-danger",
}
COLOUR_BADGES = {"green": "text-bg-success", "yellow": "text-bg-warning", "red": "text-bg-danger"}
SHORT_DIRECTION = {"in": pgettext_lazy("passage direction", "In"), "out": pgettext_lazy("passage direction", "Out")}
NOWRAP = {"td": {"class": "text-nowrap"}}
COLOUR_NAMES = {"green": _("Green"), "yellow": _("Yellow"), "red": _("Red")}


def num(value) -> str:
    return number_format(value or 0, force_grouping=True)


def action_badge(value: str) -> str:
    if not value:
        return "—"
    return format_html(
        '<span class="badge {}">{}</span>', ACTION_BADGES.get(value, "text-bg-secondary"), PassageAction(value).label
    )


def colour_badge(value: str) -> str:
    if not value:
        return "—"
    return format_html('<span class="badge {}">{}</span>', COLOUR_BADGES.get(value, ""), COLOUR_NAMES.get(value, value))


class CheckpointTable(tables.Table):
    name = tables.Column(verbose_name=_("Checkpoint"), linkify=lambda record: record.get_absolute_url())
    code = tables.Column(verbose_name=_("Code"), attrs=HIDE_SM)
    kind = tables.Column(verbose_name=_("Kind"), attrs=HIDE_SM)
    way = tables.Column(verbose_name=_("Way"), attrs=HIDE_SM)
    unit = tables.Column(verbose_name=_("Commune"), accessor="unit__name", order_by=("unit__path", "name"))
    active = tables.BooleanColumn(verbose_name=_("In operation"), attrs=HIDE_SM)
    passages_today = tables.Column(verbose_name=_("Passages today"), attrs=NUMBER)
    passages = tables.Column(verbose_name=_("Passages"), attrs=NUMBER)

    class Meta:
        model = Checkpoint
        fields = ("name", "code", "kind", "way", "unit", "active", "passages_today", "passages")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "checkpoints-table"}
        empty_text = _("No checkpoint in your area yet.")

    def render_passages(self, record, value):
        return (
            format_html('<a href="{}?checkpoint={}">{}</a>', self.passages_url, record.pk, num(value))
            if getattr(self, "passages_url", "")
            else num(value)
        )

    def render_passages_today(self, value):
        return num(value)


class ShiftTable(tables.Table):
    starts_at = tables.DateTimeColumn(
        verbose_name=_("Starts"), format="H:i d/m/Y", linkify=lambda record: record.get_absolute_url()
    )
    ends_at = tables.DateTimeColumn(verbose_name=_("Ends"), format="H:i d/m/Y")
    leader = tables.Column(verbose_name=_("Shift leader"), attrs=HIDE_SM)
    passages = tables.Column(verbose_name=_("Passages"), attrs=NUMBER, orderable=False)

    class Meta:
        model = Shift
        fields = ("starts_at", "ends_at", "leader", "passages")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "shifts-table"}
        empty_text = _("No shift yet.")
        orderable = False

    def render_passages(self, value):
        return num(value)


class PassageTable(tables.Table):
    at = tables.Column(verbose_name=_("Time"), attrs=NOWRAP)
    checkpoint = tables.Column(verbose_name=_("Checkpoint"), accessor="checkpoint_id", orderable=False)
    direction = tables.Column(verbose_name=pgettext_lazy("passage", "Direction"))
    plate = tables.Column(verbose_name=_("Plate"), empty_values=())
    vehicle_type = tables.Column(verbose_name=_("Vehicle"), attrs=HIDE_SM)
    people_on_board = tables.Column(
        verbose_name=_("On board"), attrs={"th": {"class": "text-end hide-sm"}, "td": {"class": "text-end hide-sm"}}
    )
    origin_commune_code = tables.Column(verbose_name=pgettext_lazy("passage", "From"), orderable=False, attrs=HIDE_SM)
    colour = tables.Column(verbose_name=_("Colour"), attrs=HIDE_SM)
    advice = tables.Column(verbose_name=_("Advice"), attrs=HIDE_SM)
    action = tables.Column(verbose_name=pgettext_lazy("passage", "Action"))

    class Meta:
        model = Passage
        fields = (
            "at",
            "checkpoint",
            "direction",
            "plate",
            "vehicle_type",
            "people_on_board",
            "origin_commune_code",
            "colour",
            "advice",
            "action",
        )
        sequence = fields
        attrs = {"class": "table table-sm table-hover align-middle", "id": "passages-table"}
        empty_text = _("No passage.")
        order_by = ("-at",)

    def __init__(self, *args, names=None, checkpoints=None, show_checkpoint=True, compact=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.names = names or {}
        self.checkpoints = checkpoints or {}
        if not show_checkpoint:
            self.columns.hide("checkpoint")
        if compact:
            for name in ("origin_commune_code", "colour", "vehicle_type"):
                self.columns.hide(name)

    def render_at(self, value):
        local = timezone.localtime(value)
        return format_html(
            '{} <span class="small text-secondary">{}</span>', local.strftime("%H:%M"), local.strftime("%d/%m")
        )

    def render_direction(self, record):
        return SHORT_DIRECTION.get(record.direction, record.direction)

    def render_checkpoint(self, value):
        return self.checkpoints.get(value, "—")

    def render_plate(self, record):
        text = plate_display(record.plate, record.vehicle_type) if record.plate else (record.full_name or "—")
        css = "text-nowrap font-monospace" if record.plate else ""
        if record.green_card_id:
            return format_html(
                '<span class="{}">{}</span> <span class="badge text-bg-success" title="{}">LX</span>',
                css,
                text,
                _("green-lane card"),
            )
        return format_html('<span class="{}">{}</span>', css, text)

    def render_people_on_board(self, value):
        return num(value)

    def render_origin_commune_code(self, value, record):
        name = self.names.get(value, value)
        if record.from_watched_area:
            return format_html('{} <span class="badge text-bg-danger">{}</span>', name, _("epidemic area"))
        return name

    def render_colour(self, value):
        return colour_badge(value)

    def render_advice(self, record):
        return action_badge(record.advice)

    def render_action(self, record):
        return action_badge(record.action)
