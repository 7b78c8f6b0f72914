"""Excel exports of the target lists: the target list, the due list and a session's invitations, in the
usual shape (STT, họ tên, ngày sinh, giới, CCCD, SĐT, địa chỉ, nhóm ưu tiên, mũi đã tiêm, ngày mũi gần nhất)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chongdich.core.spreadsheets import write_numbered_sheet
from chongdich.people.identity import display_phone
from chongdich.people.models import Sex
from chongdich.vaccination.models import InvitationStatus
from chongdich.vaccination.selectors import targets as read
from chongdich.vaccination.tables.targets import dose_label

SEX = dict(Sex.choices)


def _people_headers() -> list[str]:
    return [
        _("No."),
        _("Full name"),
        _("Date of birth"),
        _("Sex"),
        _("Citizen ID (CCCD)"),
        _("Phone"),
        _("Address"),
        _("Priority group"),
        _("Doses received"),
        _("Date of the last dose"),
    ]


WIDTHS = [6, 26, 12, 7, 16, 14, 34, 30, 9, 12]


def _born(person):
    return person.date_of_birth or person.birth_year


def _address(person, unit_name: str) -> str:
    return ", ".join(part for part in (person.address, unit_name) if part)


def export_targets(people, group_names: dict) -> tuple[bytes, int]:
    """The target list as filtered (``people`` from ``read.target_rows``)."""
    rows = people.select_related("unit").order_by("unit_path", "folded_name", "pk").iterator(chunk_size=2000)

    def lines():
        for person in rows:
            yield [
                person.full_name,
                _born(person),
                str(SEX.get(person.sex, "")),
                person.cccd or "",
                display_phone(person.phone),
                _address(person, person.unit.name),
                "; ".join(group_names.get(e.group, e.group) for e in person.vaccination_groups.all()),
                person.doses_received,
                person.last_dose_on,
            ]

    return write_numbered_sheet(_("Target list"), _people_headers(), lines(), WIDTHS)


def export_due(rows: list[read.DueRow]) -> tuple[bytes, int]:
    headers = [
        *_people_headers()[:7],
        _("Doses received"),
        _("Date of the last dose"),
        _("Vaccine of the last dose"),
        _("Next dose"),
        _("Recommended by"),
        _("Days overdue"),
    ]

    def lines():
        for row in rows:
            yield [
                row.full_name,
                row.date_of_birth or row.birth_year,
                str(SEX.get(row.sex, "")),
                row.cccd or "",
                display_phone(row.phone),
                ", ".join(part for part in (row.address, row.unit_name) if part),
                row.doses_counted,
                row.last_dose_on,
                row.last_product_name,
                str(dose_label(row.next_kind, row.next_number)),
                row.next_due,
                row.days_late,
            ]

    return write_numbered_sheet(_("Due for a dose"), headers, lines(), [*WIDTHS[:7], 9, 12, 10, 12, 12, 9])


def export_invitations(invitations, group_names: dict) -> tuple[bytes, int]:
    headers = [*_people_headers()[:8], _("Dose"), _("Status"), _("Invitation code")]
    rows = invitations.prefetch_related("person__vaccination_groups").iterator(chunk_size=2000)

    def lines():
        for invitation in rows:
            person = invitation.person
            yield [
                person.full_name,
                _born(person),
                str(SEX.get(person.sex, "")),
                person.cccd or "",
                display_phone(person.phone),
                _address(person, person.unit.name),
                "; ".join(group_names.get(e.group, e.group) for e in person.vaccination_groups.all()),
                str(dose_label(invitation.dose_kind, invitation.dose_number)),
                str(InvitationStatus(read.shown_status(invitation)).label),
                invitation.token,
            ]

    return write_numbered_sheet(_("Invitations"), headers, lines(), [*WIDTHS[:8], 10, 14, 26])
