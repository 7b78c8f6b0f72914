"""Tables of sites, lots, stock lines and movements (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chongdich.vaccination.models import Lot, MovementKind, Site, StockMovement
from chongdich.vaccination.selectors.stock import KIND_LABELS

SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}
NUMBER = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}
NUMBER_HIDDEN = {"th": {"class": "text-end hide-sm"}, "td": {"class": "text-end hide-sm"}}
EXPIRY_BADGE = {"expired": ("text-bg-danger", _("expired")), "expiring": ("text-bg-warning", _("expires soon"))}


def num(value) -> str:
    return number_format(value, force_grouping=True)


def expiry_cell(expires_on, state: str) -> str:
    if not state:
        return expires_on.strftime("%d/%m/%Y")
    badge, label = EXPIRY_BADGE[state]
    return format_html('{} <span class="badge {}">{}</span>', expires_on.strftime("%d/%m/%Y"), badge, label)


def days_left_cell(days) -> str:
    if days is None:
        return "—"
    return format_html('<span class="{}">{}</span>', "text-danger fw-semibold" if days < 7 else "", num(days))


def wastage_cell(pct) -> str:
    return "—" if pct is None else f"{number_format(pct, decimal_pos=1)}\u00a0%"


class SiteTable(tables.Table):
    name = tables.Column(verbose_name=_("Site"), linkify=lambda record: record.get_absolute_url())
    kind = tables.Column(verbose_name=_("Kind"), attrs=SMALL_SCREEN_HIDDEN)
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name", order_by=("unit__path", "name"))
    table_count = tables.Column(verbose_name=_("Tables"), accessor="tables", attrs=NUMBER_HIDDEN)
    active = tables.BooleanColumn(verbose_name=_("Open"), attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = Site
        fields = ("name", "kind", "unit", "table_count", "active")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "sites-table"}
        empty_text = _("No vaccination site in your area yet.")


class LotTable(tables.Table):
    product = tables.Column(verbose_name=_("Vaccine"))
    number = tables.Column(verbose_name=_("Lot number"), attrs={"td": {"class": "font-monospace"}})
    expires_on = tables.Column(verbose_name=_("Expiry date"))
    doses_per_vial = tables.Column(verbose_name=_("Doses per vial"), attrs=NUMBER)
    source = tables.Column(verbose_name=_("Source"), attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = Lot
        fields = ("product", "number", "expires_on", "doses_per_vial", "source")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "lots-table"}
        empty_text = _("No lot registered.")

    def __init__(self, *args, today, names, **kwargs):
        super().__init__(*args, **kwargs)
        self.today, self.names = today, names

    def render_product(self, value):
        return self.names.get(value, value)

    def render_expires_on(self, record):
        from_today = (record.expires_on - self.today).days
        state = "expired" if from_today < 0 else ("expiring" if from_today <= 30 else "")
        return expiry_cell(record.expires_on, state)


class StockTable(tables.Table):
    """Site × lot lines; ``show_site`` False on a site's own page."""

    site = tables.Column(
        verbose_name=_("Site"),
        accessor="site__name",
        linkify=lambda record: record.site.get_absolute_url(),
        orderable=False,
    )
    product = tables.Column(
        verbose_name=_("Vaccine"), accessor="product_name", orderable=False, attrs=SMALL_SCREEN_HIDDEN
    )
    lot = tables.Column(verbose_name=_("Lot"), accessor="lot__number", orderable=False)
    expiry = tables.Column(verbose_name=_("Expiry"), accessor="lot__expires_on", orderable=False)
    on_hand = tables.Column(verbose_name=_("On hand"), orderable=False, attrs=NUMBER)
    given_recent = tables.Column(verbose_name=_("Given, 7 days"), orderable=False, attrs=NUMBER_HIDDEN)
    days_left = tables.Column(verbose_name=_("Days left"), orderable=False, empty_values=(), attrs=NUMBER)
    received = tables.Column(verbose_name=KIND_LABELS[MovementKind.RECEIVED], orderable=False, attrs=NUMBER_HIDDEN)
    transfer_in = tables.Column(
        verbose_name=KIND_LABELS[MovementKind.TRANSFER_IN], orderable=False, attrs=NUMBER_HIDDEN
    )
    transfer_out = tables.Column(
        verbose_name=KIND_LABELS[MovementKind.TRANSFER_OUT], orderable=False, attrs=NUMBER_HIDDEN
    )
    given = tables.Column(verbose_name=_("Given"), orderable=False, attrs=NUMBER_HIDDEN)
    discarded = tables.Column(verbose_name=_("Discarded"), orderable=False, attrs=NUMBER_HIDDEN)
    adjusted = tables.Column(verbose_name=_("Adjusted"), orderable=False, attrs=NUMBER_HIDDEN)
    wastage = tables.Column(
        verbose_name=_("Wastage"), accessor="wastage_pct", orderable=False, empty_values=(), attrs=NUMBER_HIDDEN
    )

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "stock-table"}
        row_attrs = {
            "class": lambda record: {"expired": "table-danger", "expiring": "table-warning"}.get(record.expiry, "")
        }
        empty_text = _("No stock recorded.")

    def __init__(self, *args, show_site: bool = True, **kwargs):
        super().__init__(*args, exclude=() if show_site else ("site",), **kwargs)

    def render_lot(self, record):
        """The lot number, and on a phone (where the vaccine column is hidden) the vaccine under it."""
        return format_html(
            '<span class="font-monospace">{}</span><div class="small text-secondary d-sm-none">{}</div>',
            record.lot.number,
            record.product_name,
        )

    def render_expiry(self, record):
        return expiry_cell(record.lot.expires_on, record.expiry)

    def render_on_hand(self, value):
        return format_html(
            '<span class="{}">{}</span>', "text-danger fw-semibold" if value < 0 else "fw-semibold", num(value)
        )

    def render_days_left(self, record):
        return days_left_cell(record.days_left)

    def render_wastage(self, record):
        return wastage_cell(record.wastage_pct)

    def render_received(self, value):
        return num(value)

    def render_given(self, value):
        return num(value)

    def render_given_recent(self, value):
        return num(value)


class MovementTable(tables.Table):
    day = tables.DateColumn(verbose_name=_("Date"), format="d/m/Y", orderable=False)
    kind = tables.Column(verbose_name=_("Movement"), orderable=False)
    lot = tables.Column(
        verbose_name=_("Lot"), accessor="lot__number", orderable=False, attrs={"td": {"class": "font-monospace"}}
    )
    doses = tables.Column(verbose_name=_("Doses"), orderable=False, attrs=NUMBER)
    counterpart = tables.Column(verbose_name=_("Other site"), orderable=False, default="", attrs=SMALL_SCREEN_HIDDEN)
    note = tables.Column(verbose_name=_("Note"), orderable=False, default="", attrs=SMALL_SCREEN_HIDDEN)
    created_by = tables.Column(verbose_name=_("By"), orderable=False, default="", attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = StockMovement
        fields = ("day", "kind", "lot", "doses", "counterpart", "note", "created_by")
        attrs = {"class": "table table-sm align-middle", "id": "movements-table"}
        empty_text = _("No movement yet.")

    def render_doses(self, record):
        signed = record.signed_doses
        return format_html(
            '<span class="{}">{}{}</span>',
            "text-success" if signed > 0 else "text-danger",
            "+" if signed > 0 else "−",
            num(abs(signed)),
        )

    def render_kind(self, record):
        return KIND_LABELS[MovementKind(record.kind)]

    def render_created_by(self, value):
        return getattr(value, "full_name", "") or value.get_username()
