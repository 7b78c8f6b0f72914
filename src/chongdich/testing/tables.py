"""Tables of samples for the list and the work lists (django-tables2, lazy pagination)."""

from __future__ import annotations

from urllib.parse import urlencode

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.testing.models import Sample, SampleStatus

# Columns a 360 px phone drops: code, person, date and result stay readable.
SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}
STATUS_BADGE = {
    SampleStatus.PENDING: "text-bg-light border",
    SampleStatus.NEGATIVE: "text-bg-success",
    SampleStatus.POSITIVE: "text-bg-danger",
    SampleStatus.INVALID: "text-bg-warning",
}


def status_badge(sample: Sample) -> str:
    return format_html('<span class="badge {}">{}</span>', STATUS_BADGE[sample.status], sample.get_status_display())


def person_or_pool(sample: Sample) -> str:
    if sample.person_id:
        return sample.person.full_name
    return format_html('<span class="text-secondary">{}</span>', _("Pool"))


class SampleTable(tables.Table):
    code = tables.Column(
        verbose_name=_("Sample code"),
        linkify=lambda record: record.get_absolute_url(),
        attrs={"td": {"class": "font-monospace"}},
    )
    person = tables.Column(verbose_name=_("Person"), empty_values=(), orderable=False)
    kind = tables.Column(verbose_name=_("Test"), attrs=SMALL_SCREEN_HIDDEN)
    reason = tables.Column(verbose_name=_("Reason"), attrs=SMALL_SCREEN_HIDDEN)
    taken_on = tables.DateColumn(verbose_name=_("Taken on"), format="d/m/Y", order_by=("taken_on", "pk"))
    lab = tables.Column(
        verbose_name=_("Laboratory"), accessor="lab__name", default="—", orderable=False, attrs=SMALL_SCREEN_HIDDEN
    )
    status = tables.Column(verbose_name=_("Result"))
    ct_value = tables.Column(verbose_name=_("Ct"), default="", attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = Sample
        fields = ("code", "person", "kind", "reason", "taken_on", "lab", "status", "ct_value")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "samples-table"}
        empty_text = _("No sample matches.")

    def render_person(self, record):
        return person_or_pool(record)

    def render_status(self, record):
        return status_badge(record)


class PendingTable(tables.Table):
    code = tables.Column(
        verbose_name=_("Sample code"),
        linkify=lambda record: record.get_absolute_url(),
        attrs={"td": {"class": "font-monospace"}},
        orderable=False,
    )
    person = tables.Column(verbose_name=_("Person"), empty_values=(), orderable=False)
    lab = tables.Column(verbose_name=_("Laboratory"), accessor="lab__name", default="—", orderable=False)
    taken_on = tables.DateColumn(verbose_name=_("Taken on"), format="d/m/Y", orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    waited = tables.Column(verbose_name=_("Days waiting"), empty_values=(), orderable=False)

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "pending-table"}
        empty_text = _("No sample is waiting for a result.")

    def render_person(self, record):
        return person_or_pool(record)

    def render_waited(self, record):
        days = (clock.today() - record.taken_on).days
        css = "text-danger fw-semibold" if days >= 2 else ""
        return format_html('<span class="{}">{}</span>', css, days)


class PositiveTable(tables.Table):
    person = tables.Column(
        verbose_name=_("Person"),
        accessor="person__full_name",
        orderable=False,
        linkify=lambda record: reverse("people:detail", args=[record.person_id]),
    )
    born = tables.Column(
        verbose_name=_("Born"), accessor="person__birth_year", orderable=False, attrs=SMALL_SCREEN_HIDDEN
    )
    unit = tables.Column(verbose_name=_("Lives in"), accessor="unit__name", orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    code = tables.Column(
        verbose_name=_("Sample code"),
        linkify=lambda record: record.get_absolute_url(),
        attrs={"td": {"class": "font-monospace"}},
        orderable=False,
    )
    kind = tables.Column(verbose_name=_("Test"), orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    result_on = tables.DateColumn(verbose_name=_("Result date"), format="d/m/Y", orderable=False)
    ct_value = tables.Column(verbose_name=_("Ct"), default="", orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    confirm = tables.Column(verbose_name="", accessor="code", orderable=False, empty_values=())

    class Meta:
        model = Sample
        fields = ("person", "born", "unit", "code", "kind", "result_on", "ct_value", "confirm")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "positives-table"}
        empty_text = _("Every positive result has a case.")

    def render_confirm(self, value):
        # Hand-off to the case officer: the confirmation form opens prefilled from this sample.
        url = reverse("surveillance:confirm") + "?" + urlencode({"sample": value})
        return format_html('<a class="btn btn-sm btn-outline-danger" href="{}">{}</a>', url, _("Confirm case"))


class CampaignTable(tables.Table):
    """Screening campaigns, newest first, with their coverage (the list shows each as a card)."""

    name = tables.Column(verbose_name=_("Campaign"), linkify=True, orderable=False)
    unit = tables.Column(verbose_name=_("Area"), accessor="unit__name", orderable=False)
    start = tables.DateColumn(verbose_name=_("From"), format="d/m/Y", orderable=False)
    end = tables.DateColumn(verbose_name=_("Until"), format="d/m/Y", orderable=False)
    sample_kind = tables.Column(verbose_name=_("Test"), orderable=False)

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "campaigns-table"}
        empty_text = _("No campaign in your area.")


def _number(value) -> str:
    return number_format(value, force_grouping=True)


END = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}
END_SMALL_HIDDEN = {"th": {"class": "text-end hide-sm"}, "td": {"class": "text-end hide-sm"}}


class LabTable(tables.Table):
    """Laboratories with their daily capacity, samples taken today and samples waiting."""

    name = tables.Column(verbose_name=_("Name"), orderable=False, linkify=lambda record: record.get_absolute_url())
    code = tables.Column(
        verbose_name=_("Code"),
        orderable=False,
        attrs={"th": {"class": "hide-sm"}, "td": {"class": "hide-sm font-monospace"}},
    )
    unit = tables.Column(
        verbose_name=_("Administrative unit"), accessor="unit__name", orderable=False, attrs=SMALL_SCREEN_HIDDEN
    )
    daily_capacity = tables.Column(verbose_name=_("RT-PCR per day"), orderable=False, attrs=END)
    antigen_capacity = tables.Column(verbose_name=_("Rapid tests per day"), orderable=False, attrs=END_SMALL_HIDDEN)
    today = tables.Column(verbose_name=_("Taken today"), orderable=False, attrs=END)
    pending = tables.Column(verbose_name=_("Waiting"), orderable=False, attrs=END)

    class Meta:
        attrs = {"class": "table table-sm table-hover align-middle", "id": "labs-table"}
        row_attrs = {"class": lambda record: "" if record.active else "text-secondary"}
        empty_text = _("No laboratory in your area.")

    def render_name(self, record, value):
        if record.active:
            return value
        return format_html('{} <span class="badge text-bg-light border">{}</span>', value, _("inactive"))

    def render_daily_capacity(self, value):
        return _number(value)

    def render_antigen_capacity(self, value):
        return _number(value)

    def render_today(self, value):
        return _number(value)

    def render_pending(self, value):
        return _number(value)
