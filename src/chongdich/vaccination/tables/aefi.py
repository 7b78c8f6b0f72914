"""The AEFI list."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chongdich.vaccination.models import AefiReport, Severity

SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}


class AefiTable(tables.Table):
    onset_at = tables.DateTimeColumn(
        verbose_name=_("Onset"), format="d/m/Y H:i", linkify=lambda record: record.get_absolute_url()
    )
    person = tables.Column(verbose_name=_("Person"), accessor="person__full_name", orderable=False)
    manifestation = tables.Column(verbose_name=_("Manifestation"), orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    severity = tables.Column(verbose_name=_("Severity"))
    causality = tables.Column(verbose_name=_("Causality"), attrs=SMALL_SCREEN_HIDDEN)
    outcome = tables.Column(verbose_name=_("Outcome"), attrs=SMALL_SCREEN_HIDDEN)
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name", orderable=False, attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = AefiReport
        fields = ("onset_at", "person", "manifestation", "severity", "causality", "outcome", "unit")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "aefi-table"}
        empty_text = _("No reaction reported.")

    def render_severity(self, record):
        if record.severity != Severity.SERIOUS:
            return record.get_severity_display()
        waiting = (
            ""
            if record.alerted_at
            else format_html(' <span class="badge text-bg-warning">{}</span>', _("not acknowledged"))
        )
        return format_html('<span class="badge text-bg-danger">{}</span>{}', record.get_severity_display(), waiting)
