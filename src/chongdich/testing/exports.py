"""Excel exports: the samples list (as filtered on its page) and a campaign's untested targets."""

from __future__ import annotations

from django.utils.translation import gettext as _

from chongdich.core.spreadsheets import write_numbered_sheet
from chongdich.people.identity import display_phone


def export_samples(samples) -> tuple[bytes, int]:
    headers = [
        _("No."),
        _("Sample code"),
        _("Full name"),
        _("Year of birth"),
        _("Citizen ID (CCCD)"),
        _("Phone"),
        _("Lives in"),
        _("Test"),
        _("Reason"),
        _("Taken on"),
        _("Laboratory"),
        _("Result"),
        _("Result date"),
        _("Ct"),
        _("Pool"),
    ]
    widths = [6, 22, 26, 9, 16, 14, 22, 16, 18, 12, 22, 14, 12, 7, 20]
    rows = (
        samples.select_related("person", "unit", "lab", "pool").order_by("taken_on", "code").iterator(chunk_size=2000)
    )

    def lines():
        for sample in rows:
            person = sample.person
            yield [
                sample.code,
                person.full_name if person else _("Pool"),
                person.birth_year if person else None,
                (person.cccd or "") if person else "",
                display_phone(person.phone) if person else "",
                sample.unit.name,
                sample.get_kind_display(),
                sample.get_reason_display(),
                sample.taken_on,
                sample.lab.name if sample.lab_id else "",
                sample.get_status_display(),
                sample.result_on,
                float(sample.ct_value) if sample.ct_value is not None else None,
                sample.pool.code if sample.pool_id else "",
            ]

    return write_numbered_sheet(_("Samples"), headers, lines(), widths)


def export_untested(people) -> tuple[bytes, int]:
    headers = [
        _("No."),
        _("Full name"),
        _("Year of birth"),
        _("Citizen ID (CCCD)"),
        _("Phone"),
        _("Lives in"),
        _("Address"),
    ]
    widths = [6, 26, 9, 16, 14, 24, 28]

    def lines():
        for person in people.iterator(chunk_size=2000):
            yield [
                person.full_name,
                person.birth_year,
                person.cccd or "",
                display_phone(person.phone),
                person.unit.name,
                person.address,
            ]

    return write_numbered_sheet(_("Not tested yet"), headers, lines(), widths)
