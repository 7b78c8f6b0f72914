"""The stock page as an Excel sheet: one row per site × lot, then the totals per vaccine (the same
sums as the page)."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from chongdich.core.spreadsheets import write_xlsx
from chongdich.vaccination.models import MovementKind
from chongdich.vaccination.selectors.stock import KIND_LABELS, Line, Totals


def _figures(line: Line) -> list:
    pct = line.wastage_pct
    return [
        line.received,
        line.transfer_in,
        line.transfer_out,
        line.given,
        line.discarded_closed,
        line.discarded_opened,
        line.adjusted,
        line.on_hand,
        line.given_recent,
        line.days_left if line.days_left is not None else "—",
        pct if pct is not None else "—",
    ]


def stock_workbook(lines: list[Line], totals: Totals, today: date) -> bytes:
    headers = [
        _("Site"),
        _("Unit"),
        _("Vaccine"),
        _("Lot"),
        _("Expiry date"),
        _("Doses per vial"),
        str(KIND_LABELS[MovementKind.RECEIVED]),
        str(KIND_LABELS[MovementKind.TRANSFER_IN]),
        str(KIND_LABELS[MovementKind.TRANSFER_OUT]),
        _("Given"),
        str(KIND_LABELS[MovementKind.DISCARDED_CLOSED]),
        str(KIND_LABELS[MovementKind.DISCARDED_OPENED]),
        str(KIND_LABELS[MovementKind.ADJUSTED]),
        _("On hand"),
        _("Given, last 7 days"),
        _("Days of stock left"),
        _("Wastage (%)"),
    ]
    rows = [
        [
            line.site.name,
            line.site.unit.name,
            line.product_name,
            line.lot.number,
            line.lot.expires_on,
            line.lot.doses_per_vial,
        ]
        + _figures(line)
        for line in lines
    ]
    rows += [[_("Total"), "", product.product_name, "", "", ""] + _figures(product) for product in totals.products]
    if totals.products:
        rows.append([_("Total"), "", _("All vaccines"), "", "", ""] + _figures(totals.overall))
    # "/" may not appear in a sheet name (the title names the sheet too)
    title = _("Vaccine stock on %(day)s") % {"day": today.strftime("%d-%m-%Y")}
    return write_xlsx(headers, rows, title=title, widths=[28, 20, 22, 14, 12] + [11] * 12)
