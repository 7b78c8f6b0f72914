from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from chongdich.care.models import HomeOrder, OrderStatus, Stay, StayPurpose

# Columns a 360 px phone drops (as on the people list).
SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}
STATUS_BADGE = {
    OrderStatus.ACTIVE: "text-bg-primary",
    OrderStatus.COMPLETED: "text-bg-success",
    OrderStatus.CONVERTED: "text-bg-secondary",
    OrderStatus.CANCELLED: "text-bg-light border",
}


class OrderTable(tables.Table):
    person = tables.Column(
        verbose_name=_("Person"),
        accessor="person__full_name",
        order_by=("person__folded_name", "pk"),
        linkify=lambda record: record.get_absolute_url(),
    )
    kind = tables.Column(verbose_name=_("Kind"), attrs=SMALL_SCREEN_HIDDEN)
    start = tables.DateColumn(verbose_name=_("From"), format="d/m/Y")
    end = tables.DateColumn(verbose_name=_("Until"), format="d/m/Y")
    status = tables.Column(verbose_name=_("Status"))
    unit = tables.Column(verbose_name=_("Lives in"), accessor="unit__name", orderable=False, attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = HomeOrder
        fields = ("person", "kind", "start", "end", "status", "unit")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "orders-table"}
        empty_text = _("No order matches.")

    def render_status(self, record, value):
        return format_html('<span class="badge {}">{}</span>', STATUS_BADGE.get(record.status, ""), value)


class StayTable(tables.Table):
    person = tables.Column(
        verbose_name=_("Person"),
        accessor="person__full_name",
        order_by=("person__folded_name", "pk"),
        linkify=("care:person", {"pk": tables.A("person_id")}),
    )
    bed_type = tables.Column(verbose_name=_("Bed type"))
    purpose = tables.Column(verbose_name=_("Purpose"), attrs=SMALL_SCREEN_HIDDEN)
    admitted_on = tables.DateColumn(verbose_name=_("Admitted"), format="d/m/Y")
    planned_end = tables.DateColumn(verbose_name=_("Planned end"), format="d/m/Y", attrs=SMALL_SCREEN_HIDDEN)
    actions = tables.Column(verbose_name="", accessor="pk", orderable=False)

    class Meta:
        model = Stay
        fields = ("person", "bed_type", "purpose", "admitted_on", "planned_end", "actions")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "stays-table"}
        empty_text = _("Nobody is staying here.")

    def render_actions(self, record):
        # Plain HTML, not a TemplateColumn: a template per cell would rerun the context processors per row.
        links = [
            (reverse("care:discharge", args=[record.pk]), _("Discharge")),
            (reverse("care:transfer", args=[record.pk]), _("Transfer")),
        ]
        if record.purpose != StayPurpose.TREATMENT:
            links.append((reverse("care:stay_print", args=[record.pk]), _("Print")))
        return format_html_join(" ", '<a class="btn btn-sm btn-outline-secondary no-print" href="{}">{}</a>', links)

    def render_person(self, record, value):
        overflow = (
            format_html(' <span class="badge text-bg-warning">{}</span>', _("overflow")) if record.overflow else ""
        )
        return format_html("{}{}", value, overflow)


class QuarantineTable(tables.Table):
    """People in quarantine on a day: facility stays and home quarantine orders (rows of either model)."""

    person = tables.Column(
        verbose_name=_("Person"),
        accessor="person__full_name",
        orderable=False,
        linkify=("care:person", {"pk": tables.A("person_id")}),
    )
    where = tables.Column(verbose_name=_("Where"), empty_values=(), orderable=False)
    start = tables.Column(verbose_name=_("From"), empty_values=(), orderable=False)
    until = tables.Column(verbose_name=_("Until (planned)"), empty_values=(), orderable=False)
    unit = tables.Column(verbose_name=_("Lives in"), accessor="unit__name", orderable=False, attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "quarantine-table"}
        empty_text = _("Nobody was in quarantine on this day.")

    def render_where(self, record):
        if isinstance(record, Stay):
            return format_html('<a href="{}">{}</a>', record.facility.get_absolute_url(), record.facility.name)
        return format_html('<a href="{}">{}</a>', record.get_absolute_url(), _("At home"))

    def render_start(self, record):
        return (record.admitted_on if isinstance(record, Stay) else record.start).strftime("%d/%m/%Y")

    def render_until(self, record):
        end = record.planned_end if isinstance(record, Stay) else record.end
        return end.strftime("%d/%m/%Y") if end else "—"
