"""Excel export of the passage list as filtered (one row per passage; cells written through
``core.spreadsheets.put``, so nothing typed at a checkpoint becomes a formula)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chongdich.core.spreadsheets import write_numbered_sheet
from chongdich.movement.models import Direction, PassageAction, Subject, TestKind, TestResult, VehicleType
from chongdich.movement.selectors.checkpoints import plate_display
from chongdich.people.identity import display_phone

LABELS = {
    **dict(Direction.choices),
    **dict(Subject.choices),
    **dict(VehicleType.choices),
    **dict(PassageAction.choices),
}
TESTS = dict(TestResult.choices)
TEST_KINDS = dict(TestKind.choices)
WIDTHS = [6, 17, 24, 10, 14, 12, 18, 8, 26, 26, 10, 22, 14, 12, 12, 16, 9, 10, 8, 14, 16, 24]


def _label(value: str) -> str:
    return str(LABELS.get(value, value)) if value else ""


def headers() -> list[str]:
    return [
        _("No."),
        _("Time"),
        _("Checkpoint"),
        pgettext("passage", "Direction"),
        _("Who"),
        _("Plate"),
        _("Vehicle type"),
        _("On board"),
        _("From (commune)"),
        _("To (commune)"),
        _("Level of the origin"),
        _("Full name"),
        _("Citizen ID (CCCD)"),
        _("Phone"),
        _("Green-lane card"),
        _("Test result"),
        _("Test"),
        _("Time of the result"),
        _("Temperature (°C)"),
        _("Rule's advice"),
        pgettext("passage", "Action"),
        _("Note"),
    ]


def passages_workbook(passages, checkpoints: dict[int, str], names: dict[str, str]) -> tuple[bytes, int]:
    """``passages``: the filtered queryset of the list; ``checkpoints``: id → name; ``names``: commune
    code → name."""
    rows = passages.select_related("green_card").iterator(chunk_size=2000)

    def lines():
        for p in rows:
            yield [
                timezone.localtime(p.at).strftime("%d/%m/%Y %H:%M"),
                checkpoints.get(p.checkpoint_id, ""),
                _label(p.direction),
                _label(p.subject),
                plate_display(p.plate, p.vehicle_type),
                _label(p.vehicle_type),
                p.people_on_board,
                names.get(p.origin_commune_code, p.origin_commune_code),
                names.get(p.destination_commune_code, p.destination_commune_code),
                p.origin_level + (" ⚠" if p.from_watched_area else ""),
                p.full_name,
                p.cccd,
                display_phone(p.phone),
                p.green_card.number if p.green_card_id and p.green_card else "",
                str(TESTS.get(p.test_result, "")) if p.test_result else "",
                str(TEST_KINDS.get(p.test_kind, "")) if p.test_kind else "",
                timezone.localtime(p.test_at).strftime("%d/%m/%Y %H:%M") if p.test_at else "",
                float(p.temperature) if p.temperature is not None else "",
                _label(p.advice),
                _label(p.action),
                p.note,
            ]

    return write_numbered_sheet(_("Passages"), headers(), lines(), WIDTHS)
