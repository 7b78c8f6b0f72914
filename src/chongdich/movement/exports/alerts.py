"""The alert list as an Excel sheet (the rows of the filtered list)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core.spreadsheets import write_numbered_sheet
from chongdich.movement.selectors.alerts import duration_text, took


def _local(at):
    return timezone.localtime(at).replace(tzinfo=None) if at else None


def export_alerts(alerts) -> tuple[bytes, int]:
    headers = [
        _("No."),
        _("Raised"),
        _("Kind"),
        _("Full name"),
        _("Year of birth"),
        _("Phone"),
        _("Unit"),
        _("Came from (commune)"),
        _("Level of the origin"),
        _("Arrived on"),
        _("State"),
        _("Owner"),
        _("Taken at"),
        _("Done at"),
        _("How it ended"),
        _("Note"),
        _("Time taken"),
    ]
    widths = [6, 17, 26, 26, 9, 14, 22, 12, 10, 12, 12, 20, 17, 17, 22, 30, 14]
    rows = alerts.select_related("unit", "owner").iterator(chunk_size=2000)

    def lines():
        for alert in rows:
            owner = alert.owner
            yield [
                _local(alert.raised_at),
                alert.get_kind_display(),
                alert.full_name,
                alert.birth_year,
                alert.phone,
                alert.unit.name,
                alert.origin_commune_code,
                alert.origin_level,
                alert.arrived_on,
                alert.get_state_display(),
                (owner.get_full_name() or owner.get_username()) if owner else "",
                _local(alert.taken_at),
                _local(alert.done_at),
                alert.get_outcome_display() if alert.outcome else "",
                alert.outcome_note,
                duration_text(took(alert)) if alert.done_at else "",
            ]

    return write_numbered_sheet(_("Alerts"), headers, lines(), widths)
