"""Excel exports of the forecast lists (as filtered on the overview): the growth ranking and what runs
out first.  Cells go through ``core.spreadsheets.put`` (``write_numbered_sheet``); headers in the
interface's language (Vietnamese by default)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chongdich.core.spreadsheets import write_numbered_sheet
from chongdich.forecast.tables import days_text


def _round(value, digits: int = 2):
    return round(value, digits) if value is not None else None


def export_ranking(estimates, levels: dict[str, str] | None = None) -> tuple[bytes, int]:
    levels = levels or {}
    headers = [
        _("No."),
        _("Unit"),
        _("Unit code"),
        _("Risk level"),
        _("Week-over-week growth (%)"),
        _("Cases, last 7 days"),
        _("Cases, the 7 days before"),
        _("Enough cases"),
        _("Rt"),
        _("Rt, 2.5%"),
        _("Rt, 97.5%"),
        _("Probability that Rt < 1 (%)"),
        _("Doubling time (days; negative: halving)"),
        _("Active cases"),
        _("Day"),
    ]
    widths = [6, 26, 10, 16, 12, 10, 10, 10, 8, 8, 8, 12, 14, 10, 12]

    def lines():
        for row in estimates.iterator(chunk_size=2000):
            sure = row.reliable
            yield [
                row.unit.name,
                row.unit.code,
                levels.get(row.unit.code, ""),
                _round(row.growth_wow * 100, 1) if row.growth_wow is not None else None,
                row.cases_7d,
                row.cases_prev_7d,
                _("Yes") if sure else _("No (not enough cases)"),
                _round(row.rt_mean) if sure else None,
                _round(row.rt_lo) if sure else None,
                _round(row.rt_hi) if sure else None,
                _round(row.p_below_1 * 100, 1) if sure and row.p_below_1 is not None else None,
                _round(row.doubling_days, 1) if sure else None,
                row.active,
                row.day,
            ]

    return write_numbered_sheet(_("Where it is getting worse"), headers, lines(), widths)


def export_runouts(runouts) -> tuple[bytes, int]:
    headers = [
        _("No."),
        _("What"),
        _("Threshold"),
        _("Unit"),
        _("Days left"),
        _("Days left, earliest"),
        _("Projected on"),
        _("Now"),
        _("Threshold value"),
        _("As of"),
    ]
    widths = [6, 34, 26, 22, 14, 14, 12, 10, 10, 12]

    def lines():
        for row in runouts.iterator(chunk_size=2000):
            yield [
                row.subject,
                row.get_kind_display(),
                row.unit.name,
                row.days if row.days is not None else days_text(None),
                row.days_early if row.days_early is not None else days_text(None),
                row.on_day,
                row.current,
                row.capacity,
                row.as_of,
            ]

    return write_numbered_sheet(_("What runs out first"), headers, lines(), widths)
