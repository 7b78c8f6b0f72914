"""The notifications list."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from chongdich.notices.models import Receipt, Severity

SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}
SEVERITY_BADGE = {Severity.INFO: "text-bg-info", Severity.WARNING: "text-bg-warning", Severity.DANGER: "text-bg-danger"}


def row_attrs(record) -> str:
    return "notice-unread fw-semibold" if record.read_at is None else "notice-read"


class ReceiptTable(tables.Table):
    text = tables.Column(verbose_name=_("Notification"), empty_values=(), orderable=False)
    unit = tables.Column(
        verbose_name=_("Unit"), accessor="notice__unit__name", orderable=False, attrs=SMALL_SCREEN_HIDDEN
    )
    received = tables.Column(verbose_name=_("Received"), accessor="notice__created_at", orderable=False)
    read = tables.Column(verbose_name=_("Read"), accessor="read_at", empty_values=(), orderable=False)

    class Meta:
        model = Receipt
        fields = ("text", "unit", "received", "read")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "notice-table"}
        row_attrs = {"class": row_attrs, "data-notice": lambda record: record.notice_id}
        empty_text = _("No notification.")

    def render_text(self, record):
        notice = record.notice
        return format_html(
            '<span class="badge {} me-1">{}</span><a href="{}">{}</a>',
            SEVERITY_BADGE.get(notice.severity, "text-bg-secondary"),
            notice.get_severity_display(),
            notice.get_absolute_url(),
            notice.text,
        )

    def render_received(self, value):
        return date_format(localtime(value), "H:i d/m/Y")

    def render_read(self, record):
        if record.read_at is not None:
            return format_html('<span class="text-secondary small">{}</span>', _("Read"))
        return format_html(
            '<button class="btn btn-sm btn-outline-secondary text-nowrap" type="submit" form="notice-read-form" '
            'name="notice" value="{}">{}</button>',
            record.notice_id,
            _("Mark read"),
        )
