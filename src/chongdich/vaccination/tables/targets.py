"""Tables of the target list, the due list and a session's invitations (django-tables2)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from chongdich.vaccination.models import DoseKind, InvitationStatus
from chongdich.vaccination.selectors import targets as read

SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}
STATE_BADGE = {
    read.DoseState.NONE: "text-bg-light border",
    read.DoseState.PARTIAL: "text-bg-warning",
    read.DoseState.COMPLETE: "text-bg-success",
    read.DoseState.BOOSTED: "text-bg-primary",
}
INVITATION_BADGE = {
    InvitationStatus.INVITED: "text-bg-light border",
    InvitationStatus.CAME: "text-bg-info",
    InvitationStatus.VACCINATED: "text-bg-success",
    InvitationStatus.POSTPONED: "text-bg-warning",
    InvitationStatus.ABSENT: "text-bg-secondary",
}


def birth(record) -> str:
    return f"{record.date_of_birth:%d/%m/%Y}" if record.date_of_birth else str(record.birth_year)


def dose_label(kind: str, number: int | None) -> str:
    if kind == DoseKind.PRIMARY:
        return _("Dose %(n)s") % {"n": number or 1}
    if kind == DoseKind.BOOSTER:
        return _("Booster %(n)s") % {"n": number or 1}
    if kind == DoseKind.ADDITIONAL:
        return _("Additional dose")
    return "—"


class TargetTable(tables.Table):
    full_name = tables.Column(
        verbose_name=_("Full name"), linkify=lambda record: record.get_absolute_url(), order_by=("folded_name", "pk")
    )
    born = tables.Column(
        verbose_name=_("Date of birth"), empty_values=(), order_by=("date_of_birth", "birth_year", "pk")
    )
    cccd = tables.Column(verbose_name=_("CCCD"), default="—", attrs=SMALL_SCREEN_HIDDEN, orderable=False)
    unit = tables.Column(verbose_name=_("Lives in"), accessor="unit__name", attrs=SMALL_SCREEN_HIDDEN, orderable=False)
    groups = tables.Column(
        verbose_name=_("Priority group"), empty_values=(), orderable=False, attrs=SMALL_SCREEN_HIDDEN
    )
    doses_received = tables.Column(verbose_name=_("Doses"), attrs={"td": {"class": "text-end"}})
    last_dose_on = tables.DateColumn(
        verbose_name=_("Last dose"), format="d/m/Y", default="—", attrs=SMALL_SCREEN_HIDDEN
    )
    state = tables.Column(verbose_name=_("Status"), empty_values=(), orderable=False)

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "targets-table"}
        empty_text = _("Nobody matches these filters.")

    def render_born(self, record):
        return birth(record)

    def __init__(self, *args, group_names: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.group_names = group_names or {}

    def render_groups(self, record):
        enrolments = list(record.vaccination_groups.all())
        if not enrolments:
            return "—"
        return format_html_join(
            " ",
            '<span class="badge text-bg-light border text-wrap text-start">{}</span>',
            ((self.group_names.get(e.group, e.group),) for e in enrolments),
        )

    def render_state(self, record):
        state = read.state_of(record)
        return format_html('<span class="badge {}">{}</span>', STATE_BADGE[state], read.DoseState.LABELS[state])


class DueTable(tables.Table):
    full_name = tables.Column(
        verbose_name=_("Full name"), linkify=lambda record: record.get_absolute_url(), orderable=False
    )
    born = tables.Column(verbose_name=_("Date of birth"), empty_values=(), orderable=False)
    unit_name = tables.Column(verbose_name=_("Lives in"), orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    last = tables.Column(verbose_name=_("Last dose"), empty_values=(), orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    next_dose = tables.Column(verbose_name=_("Next dose"), empty_values=(), orderable=False)
    next_due = tables.DateColumn(verbose_name=_("Recommended by"), format="d/m/Y", orderable=False)
    days_late = tables.Column(verbose_name=_("Days overdue"), orderable=False, attrs={"td": {"class": "text-end"}})

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "due-table"}
        empty_text = _("Nobody is due for a dose on this day.")

    def render_born(self, record):
        return birth(record)

    def render_last(self, record):
        return f"{record.last_product_name} · {record.last_dose_on:%d/%m/%Y}"

    def render_next_dose(self, record):
        return dose_label(record.next_kind, record.next_number)

    def render_days_late(self, value):
        return format_html('<span class="fw-semibold text-danger">{}</span>', value) if value else "—"


class InvitationTable(tables.Table):
    name = tables.Column(
        verbose_name=_("Full name"),
        accessor="person__full_name",
        orderable=False,
        linkify=lambda record: record.person.get_absolute_url(),
    )
    born = tables.Column(verbose_name=_("Date of birth"), empty_values=(), orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    phone = tables.Column(
        verbose_name=_("Phone"), accessor="person__phone_display", orderable=False, attrs=SMALL_SCREEN_HIDDEN
    )
    dose = tables.Column(verbose_name=_("Dose"), empty_values=(), orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    state = tables.Column(verbose_name=_("Status"), empty_values=(), orderable=False)
    mark = tables.TemplateColumn(
        template_name="vaccination/targets/_invitation_mark.html", verbose_name="", orderable=False
    )

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "invitations-table"}
        empty_text = _("Nobody is invited to this session yet.")

    def render_born(self, record):
        return birth(record.person)

    def render_dose(self, record):
        return dose_label(record.dose_kind, record.dose_number)

    def render_state(self, record):
        status = read.shown_status(record)
        return format_html('<span class="badge {}">{}</span>', INVITATION_BADGE[status], InvitationStatus(status).label)
