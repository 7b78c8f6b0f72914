"""The alert list."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chongdich.movement.models import Alert, AlertState
from chongdich.movement.selectors.alerts import duration_text, phone_text, took

SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}
STATE_BADGE = {
    AlertState.NEW: "text-bg-danger",
    AlertState.TAKEN: "text-bg-warning",
    AlertState.DONE: "text-bg-success",
}


class AlertTable(tables.Table):
    raised_at = tables.DateTimeColumn(
        verbose_name=_("Raised"), format="H:i d/m", linkify=lambda record: record.get_absolute_url()
    )
    kind = tables.Column(verbose_name=_("Kind"))
    full_name = tables.Column(verbose_name=_("Person"), empty_values=(), orderable=False)
    state = tables.Column(verbose_name=_("State"))
    owner = tables.Column(verbose_name=_("Owner"), accessor="owner", orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    took = tables.Column(verbose_name=_("Time taken"), empty_values=(), orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name", orderable=False, attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = Alert
        fields = ("raised_at", "kind", "full_name", "state", "owner", "took", "unit")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "alert-table"}
        empty_text = _("No alert.")

    def render_full_name(self, record):
        name = record.full_name or (record.detail or {}).get("plate") or "—"
        return format_html('{}<div class="small text-secondary">{}</div>', name, phone_text(record.phone))

    def render_state(self, record):
        label = record.get_state_display()
        if record.state == AlertState.DONE and record.outcome:
            label = f"{label}: {record.get_outcome_display()}"
        return format_html('<span class="badge {}">{}</span>', STATE_BADGE.get(record.state, ""), label)

    def render_owner(self, record):
        return record.owner.get_full_name() or record.owner.get_username() if record.owner else "—"

    def render_took(self, record):
        return duration_text(took(record))
