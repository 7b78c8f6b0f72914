"""Person list export in the shape officers use (the columns of the import template)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chongdich.core.spreadsheets import write_numbered_sheet
from chongdich.people.identity import display_phone
from chongdich.people.imports import PersonImporter


def export_people(people) -> tuple[bytes, int]:
    headers = PersonImporter().headers()
    widths = [6, 26, 7, 13, 9, 16, 14, 22, 22, 24, 16, 14, 14, 20, 24]
    rows = people.select_related("unit", "unit__parent", "household").order_by("unit_path", "folded_name", "pk")

    def lines():
        for person in rows.iterator(chunk_size=2000):
            unit = person.unit
            village = unit.name if unit.level == "village" else ""
            commune = unit.parent.name if village and unit.parent_id else unit.name
            yield [
                person.full_name,
                person.get_sex_display(),
                person.date_of_birth,
                person.birth_year,
                person.cccd or "",
                display_phone(person.phone),
                village,
                commune,
                person.address,
                person.household.code if person.household_id else "",
                person.get_relation_display(),
                person.get_residence_status_display(),
                person.get_occupation_group_display(),
                person.notes,
            ]

    return write_numbered_sheet(_("People"), headers, lines(), widths)
