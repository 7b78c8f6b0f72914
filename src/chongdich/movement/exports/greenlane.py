"""The card list as an Excel sheet (the rows of the page, with its filters)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core.spreadsheets import write_xlsx
from chongdich.movement.selectors.greenlane import card_status, plate_display
from chongdich.movement.tables.greenlane import CARD_BADGES


def cards_workbook(cards, today: date) -> bytes:
    headers = [
        _("Card number"),
        _("Plate"),
        _("Vehicle type"),
        _("Transport operator"),
        _("Driver"),
        _("Driver's phone"),
        _("Goods"),
        _("Essential goods"),
        _("Itinerary"),
        _("Valid from"),
        _("Valid to"),
        _("State"),
        _("Revoked at"),
        _("Reason for revoking"),
        _("Issued by"),
    ]
    rows = [
        [
            card.number,
            plate_display(card.plate),
            card.get_vehicle_type_display(),
            card.operator,
            card.driver_name,
            card.driver_phone,
            card.goods,
            _("yes") if card.essential else _("no"),
            card.itinerary,
            card.valid_from,
            card.valid_to,
            str(CARD_BADGES[card_status(card, today)][1]),
            timezone.localtime(card.revoked_at).strftime("%d/%m/%Y %H:%M") if card.revoked_at else "",
            card.revoke_reason,
            card.unit.name,
        ]
        for card in cards
    ]
    title = _("Green-lane cards on %(day)s") % {"day": today.strftime("%d-%m-%Y")}
    return write_xlsx(headers, rows, title=title, widths=[18, 13, 14, 28, 22, 13, 24, 8, 32, 11, 11, 12, 16, 24, 22])
