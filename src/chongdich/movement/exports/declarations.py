"""The officers' list of health declarations as an Excel sheet (the rows the filters select)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from chongdich.core.spreadsheets import write_numbered_sheet
from chongdich.movement.selectors.declarations import exposure_names, level_name, symptom_names, unit_labels
from chongdich.people.identity import display_phone

EXPORT_MAX_ROWS = 50_000  # one sheet an officer can open on a laptop; the filters narrow the rest


def declarations_workbook(queryset, lang: str) -> tuple[bytes, int]:
    """(the workbook, rows written) of the declarations of ``queryset`` (at most EXPORT_MAX_ROWS), streamed."""
    queryset = queryset[:EXPORT_MAX_ROWS]
    codes = set(queryset.values_list("arrived_from_commune_code", flat=True)) | set(
        queryset.values_list("unit__code", flat=True)
    )
    labels = unit_labels(codes)
    headers = [
        _("No."),
        _("Received"),
        _("Receipt"),
        _("Full name"),
        _("Year of birth"),
        _("Sex"),
        _("Phone"),
        _("Citizen ID"),
        _("Staying at"),
        _("House number, street"),
        _("Came from"),
        _("Level of the origin"),
        _("From an epidemic area"),
        _("Arrived on"),
        _("Transport"),
        _("Flight, train, coach or plate number"),
        _("Symptoms"),
        pgettext("declaration", "Exposures"),
    ]
    yes, no = _("Yes"), _("No")

    def rows():
        for r in queryset.iterator(chunk_size=2000):
            yield [
                timezone.localtime(r.received_at).replace(tzinfo=None),
                r.receipt,
                r.full_name,
                r.birth_year,
                r.get_sex_display(),
                display_phone(r.phone),
                r.cccd,
                labels.get(r.unit.code, r.unit.name),
                r.address,
                labels.get(r.arrived_from_commune_code, r.arrived_from_text)
                if r.arrived_from_commune_code
                else r.arrived_from_text,
                level_name(r.arrived_from_level) if r.arrived_from_level else "",
                yes if r.from_watched_area else no,
                r.arrived_on,
                r.get_transport_display() if r.transport else "",
                r.transport_detail,
                ", ".join(symptom_names(r.symptoms, lang)),
                ", ".join(exposure_names(r.exposures, lang)),
            ]

    return write_numbered_sheet(_("Health declarations"), headers, rows(), widths=(6, 16, 12, 24))
