"""Person list export in the shape officers use (same columns as the import template)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from chongdich.people.identity import display_phone


def export_people(people) -> tuple[bytes, int]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("People")[:31])
    headers = [
        _("No."), _("Full name"), _("Sex"), _("Date of birth"), _("Year of birth"), _("Citizen ID (CCCD)"),
        _("Phone"), _("Village / residential group"), _("Commune / ward"), _("Address"), _("Household code"),
        _("Relation to head"), _("Residence status"), _("Occupation"), _("Notes"),
    ]  # fmt: skip
    widths = [6, 26, 7, 13, 9, 16, 14, 22, 22, 24, 16, 14, 14, 20, 24]
    for index, width in enumerate(widths):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True)
        header_cells.append(cell)
    sheet.append(header_cells)
    count = 0
    rows = people.select_related("unit", "unit__parent", "household").order_by("unit_path", "folded_name", "pk")
    for count, person in enumerate(rows.iterator(chunk_size=2000), start=1):
        unit = person.unit
        village = unit.name if unit.level == "village" else ""
        commune = unit.parent.name if village and unit.parent_id else unit.name
        sheet.append([
            count, person.full_name, person.get_sex_display(), person.date_of_birth, person.birth_year,
            person.cccd or "", display_phone(person.phone), village, commune, person.address,
            person.household.code if person.household_id else "", person.get_relation_display(),
            person.get_residence_status_display(), person.get_occupation_group_display(), person.notes,
        ])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count
