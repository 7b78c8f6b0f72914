"""The committees' list of their area's announcements (the public pages show cards, not tables)."""

from __future__ import annotations

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.portal.models import Announcement


class AnnouncementTable(tables.Table):
    publish_at = tables.DateTimeColumn(
        verbose_name=_("Published"), format="H:i d/m/Y", attrs={"td": {"class": "small text-nowrap"}}
    )
    unit = tables.Column(verbose_name=_("Area"), accessor="unit__name", attrs={"td": {"class": "small"}})
    title = tables.Column(verbose_name=_("Title"), empty_values=())
    status = tables.Column(verbose_name=_("Status"), empty_values=(), attrs={"td": {"class": "small"}})

    class Meta:
        model = Announcement
        fields = ("publish_at", "unit", "title", "status")
        orderable = False
        attrs = {"class": "table table-sm table-hover bg-white", "id": "manage-announcements"}
        empty_text = _("No announcement yet.")

    def render_title(self, record):
        # the template's output is escaped already; only its final newline is dropped
        title = mark_safe(render_to_string("portal/_announcement_title.html", {"item": record}).strip())  # noqa: S308
        automatic = (
            format_html(' <span class="badge text-bg-light border">{}</span>', _("automatic"))
            if record.automatic
            else ""
        )
        return format_html('<a href="{}">{}</a>{}', reverse("portal:manage_edit", args=[record.pk]), title, automatic)

    def render_status(self, record):
        now = clock.now()
        if record.withdrawn_at:
            return _("withdrawn")
        if record.cancelled_at:
            return _("cancelled")
        if record.publish_at > now:
            return _("scheduled")
        if record.expires_at and record.expires_at <= now:
            return _("expired")
        return format_html('<span class="text-success">{}</span>', _("public"))
