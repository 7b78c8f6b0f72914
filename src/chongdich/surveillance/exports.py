"""Case lists and contact lists to Excel, in the shapes officers use.

The headers are the import's column names, so an exported list can be corrected and imported back
(its rows are then recognised and skipped, nothing is added twice).  Columns the import does not
read (case number, outcome, tracing status) follow them.  Written in openpyxl's write-only mode:
a province's list of 100,000 cases streams in constant memory.
"""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import clock
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.core.spreadsheets import write_numbered_sheet
from chongdich.people.identity import display_phone
from chongdich.surveillance import placement
from chongdich.surveillance.imports import CaseImporter, ContactImporter
from chongdich.surveillance.models import Exposure

CHUNK = 2000


def _import_headers(importer) -> list[str]:
    """The names of the import's columns, in its order but with the row number first."""
    return [importer.label_of(key) for key in ("stt", *(c.key for c in importer.columns if c.key != "stt"))]


def _village_commune(unit) -> tuple[str, str]:
    if unit.level == "village":
        return unit.name, unit.parent.name if unit.parent_id else ""
    return "", unit.name


def _person_cells(person, unit) -> list:
    """The cells of the import's person columns (``PERSON_COLUMNS``), as the import reads them back."""
    village, commune = _village_commune(unit)
    return [
        person.full_name,
        person.date_of_birth,
        person.birth_year,
        person.get_sex_display(),
        person.cccd or "",
        display_phone(person.phone),
        person.address,
        village,
        commune,
    ]


CASE_WIDTHS = (6, 26, 12, 8, 7, 15, 14, 22, 16, 18, 12, 14, 12, 16, 10, 16, 18, 22, 14, 12, 24, 11, 16, 12)


def export_cases(cases) -> tuple[bytes, int]:
    headers = [*_import_headers(CaseImporter()), _("Case number"), _("Outcome"), _("Outcome date")]
    rows = (
        placement.facilities()
        .with_names(cases.select_related("person", "unit", "unit__parent", "cluster"))
        .order_by("confirmed_on", "pk")
        .iterator(chunk_size=CHUNK)
    )

    def lines():
        for case in rows:
            place = case.facility_name or case.get_treatment_place_display()
            yield [
                *_person_cells(case.person, case.unit),
                case.confirmed_on,
                case.get_test_type_display(),
                case.sample_code,
                case.get_detected_in_display(),
                _("Known") if case.source_known else _("Unknown"),
                case.get_setting_display(),
                case.cluster.name if case.cluster_id else "",
                place,
                case.get_severity_display(),
                case.onset_date,
                case.notes,
                case.case_number,
                case.get_outcome_display(),
                case.outcome_on,
            ]

    return write_numbered_sheet(_("Cases"), headers, lines(), CASE_WIDTHS)


CONTACT_WIDTHS = (6, 12, 6, 26, 12, 8, 7, 15, 14, 22, 16, 18, 24, 12, 12, 10, 10, 10, 20, 14, 20)


def _exposures_between(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], Exposure]:
    """The latest exposure of each (person, person) pair, whichever way it was recorded."""
    found: dict[tuple[int, int], Exposure] = {}
    people = {p for pair in pairs for p in pair}
    if not people:
        return found
    exposures = Exposure.objects.filter(Q(source_id__in=people) & Q(contact_id__in=people)).order_by("start")
    for exposure in exposures.iterator(chunk_size=CHUNK):
        for key in ((exposure.source_id, exposure.contact_id), (exposure.contact_id, exposure.source_id)):
            if key in pairs:
                found[key] = exposure
    return found


def export_contacts(contacts, user) -> tuple[bytes, int]:
    """Contacts with the exposure that made them a contact (with the F0 for an F1, with the F1 for an F2).

    The F1 an F2 came through is named only when ``user`` may see them, as on the tracing pages."""
    scope = scope_for(user, Cap.CASES_VIEW)
    headers = [*_import_headers(ContactImporter()), _("Tracing status"), _("Through")]
    contacts = list(
        contacts.select_related("person", "unit", "unit__parent", "index_case", "index_case__person", "via").order_by(
            "index_case__case_number", "rank", "person__folded_name", "pk"
        )
    )
    pairs = {(c.person_id, c.via_id or c.index_case.person_id) for c in contacts}
    exposures = _exposures_between(pairs)

    def lines():
        for contact in contacts:
            exposure = exposures.get((contact.person_id, contact.via_id or contact.index_case.person_id))
            masked = "" if exposure is None or exposure.masked is None else (_("Yes") if exposure.masked else _("No"))
            # The dates of that exposure (not the contact's span over several), so that a re-import finds it.
            first, last = _days(exposure) if exposure else (contact.first_exposure, contact.last_exposure)
            yield [
                contact.index_case.case_number,
                f"F{contact.rank}",
                *_person_cells(contact.person, contact.unit),
                exposure.get_kind_display() if exposure else "",
                first,
                last,
                float(exposure.distance_m) if exposure and exposure.distance_m is not None else None,
                masked,
                exposure.duration_min if exposure else None,
                exposure.place if exposure else "",
                contact.get_status_display(),
                _through(contact, scope),
            ]

    return write_numbered_sheet(_("Contacts"), headers, lines(), CONTACT_WIDTHS)


def _through(contact, scope) -> str:
    if not contact.via_id:
        return ""
    return contact.via.full_name if scope.contains(contact.via.unit_path) else _("a person of another area")


def _days(exposure: Exposure):
    first = timezone.localtime(exposure.start).date()
    return first, timezone.localtime(exposure.end).date() if exposure.end else first


def export_filename(stem: str) -> str:
    return f"{stem}-{clock.today():%Y%m%d}.xlsx"
