"""The session list as a table (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chongdich.vaccination.models import Session, SessionStatus

SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}
STATUS_BADGE = {
    SessionStatus.PLANNED: "text-bg-light border",
    SessionStatus.OPEN: "text-bg-success",
    SessionStatus.CLOSED: "text-bg-secondary",
    SessionStatus.CANCELLED: "text-bg-warning",
}


def status_badge(session: Session) -> str:
    return format_html('<span class="badge {}">{}</span>', STATUS_BADGE[session.status], session.get_status_display())


class SessionTable(tables.Table):
    day = tables.DateColumn(
        verbose_name=_("Date"), format="d/m/Y", order_by=("day", "pk"), linkify=lambda record: record.get_absolute_url()
    )
    site = tables.Column(verbose_name=_("Site"), accessor="site__name", order_by=("site__name", "pk"))
    shift = tables.Column(verbose_name=_("Shift"), attrs=SMALL_SCREEN_HIDDEN)
    planned = tables.Column(verbose_name=_("Planned"), attrs=SMALL_SCREEN_HIDDEN)
    doses_given = tables.Column(verbose_name=_("Doses"), orderable=True)
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Session
        fields = ("day", "site", "shift", "planned", "doses_given", "status")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "sessions-table"}
        empty_text = _("No session matches.")

    def render_status(self, record):
        return status_badge(record)
