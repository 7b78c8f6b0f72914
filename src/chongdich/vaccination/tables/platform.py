"""The reconciliation work list's table."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chongdich.people.identity import display_phone
from chongdich.vaccination.models import PlatformRecord

SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}
BADGES = {"identity": "danger", "dose_conflict": "warning", "several": "info", "out_of_scope": "secondary"}


class PlatformRecordTable(tables.Table):
    full_name = tables.Column(verbose_name=_("Person on the platform"), orderable=False)
    dose = tables.Column(verbose_name=_("Dose"), empty_values=(), orderable=False)
    problem = tables.Column(verbose_name=_("Problem"), orderable=False)
    unit = tables.Column(verbose_name=_("Area"), accessor="unit__name", orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    status = tables.Column(verbose_name=_("Status"), orderable=False, attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = PlatformRecord
        fields = ["full_name", "dose", "problem", "unit", "status"]
        attrs = {"class": "table table-sm table-hover align-middle", "id": "reconcile-table"}
        empty_text = _("No record waits for a decision.")

    def render_full_name(self, record, value):
        born = f"{record.date_of_birth:%d/%m/%Y}" if record.date_of_birth else "—"
        who = " · ".join(part for part in (born, record.cccd or display_phone(record.phone)) if part)
        return format_html(
            '<a href="{}">{}</a><div class="small text-secondary">{}</div>', record.get_absolute_url(), value, who
        )

    def render_dose(self, record):
        day = f"{record.given_on:%d/%m/%Y}" if record.given_on else "—"
        number = _("dose %(n)s") % {"n": record.dose_number} if record.dose_number else ""
        return format_html('{}<div class="small text-secondary">{} {}</div>', record.product or "—", day, number)

    def render_problem(self, record):
        colour = BADGES.get(record.problem, "dark")
        return format_html(
            '<span class="badge text-bg-{} text-wrap text-start">{}</span>', colour, record.get_problem_display()
        )

    def render_status(self, record):
        return record.get_status_display()
