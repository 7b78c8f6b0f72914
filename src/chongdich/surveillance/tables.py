from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from chongdich.people.tables import SMALL_SCREEN_HIDDEN
from chongdich.surveillance.models import Case, Chain, Cluster, Contact, Outcome
from chongdich.surveillance.tracing import MANUAL_STATUSES

OUTCOME_BADGE = {
    Outcome.ACTIVE: "text-bg-danger",
    Outcome.RECOVERED: "text-bg-success",
    Outcome.DIED: "text-bg-dark",
    Outcome.TRANSFERRED_OUT: "text-bg-secondary",
}


def lives_in(unit) -> str:
    """ "Thôn 1, Xã Đức Hạnh" for a village, the commune's name otherwise."""
    return unit.label_with_parent if unit.level == "village" else unit.name


class CaseTable(tables.Table):
    case_number = tables.Column(
        verbose_name=_("Case"), linkify=("surveillance:detail", {"pk": tables.A("pk")}), order_by=("case_number",)
    )
    name = tables.Column(
        verbose_name=_("Full name"), accessor="person__full_name", order_by=("person__folded_name", "pk")
    )
    born = tables.Column(verbose_name=_("Born"), accessor="person__birth_year", attrs=SMALL_SCREEN_HIDDEN)
    confirmed_on = tables.DateColumn(verbose_name=_("Confirmed"), format="d/m/Y")
    unit = tables.Column(verbose_name=_("Lives in"), accessor="unit", orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    detected_in = tables.Column(verbose_name=_("Detected"), attrs=SMALL_SCREEN_HIDDEN)
    treatment_place = tables.Column(verbose_name=_("Treatment place"), attrs=SMALL_SCREEN_HIDDEN)
    severity = tables.Column(verbose_name=_("Severity"), attrs=SMALL_SCREEN_HIDDEN)
    outcome = tables.Column(verbose_name=_("Outcome"))

    class Meta:
        model = Case
        fields = (
            "case_number",
            "name",
            "born",
            "confirmed_on",
            "unit",
            "detected_in",
            "treatment_place",
            "severity",
            "outcome",
        )
        attrs = {"class": "table table-sm table-hover align-middle", "id": "cases-table"}
        empty_text = _("No case matches.")
        order_by = ("-confirmed_on",)

    def render_case_number(self, value):
        return format_html('<span class="font-monospace text-nowrap">{}</span>', value)

    def render_unit(self, value):
        return lives_in(value)

    def render_outcome(self, record):
        return format_html(
            '<span class="badge {}">{}</span>', OUTCOME_BADGE.get(record.outcome, ""), record.get_outcome_display()
        )


class ChainTable(tables.Table):
    root = tables.Column(
        verbose_name=_("Chain"), accessor="pk", linkify=("surveillance:chain", {"pk": tables.A("pk")}), orderable=False
    )
    size = tables.Column(verbose_name=_("Cases"))
    active = tables.Column(verbose_name=_("Active"))
    first_date = tables.DateColumn(verbose_name=_("First case"), format="d/m/Y", attrs=SMALL_SCREEN_HIDDEN)
    last_date = tables.DateColumn(verbose_name=_("Latest case"), format="d/m/Y")
    clusters = tables.ManyToManyColumn(
        verbose_name=_("Clusters"),
        attrs=SMALL_SCREEN_HIDDEN,
        orderable=False,
        linkify_item=("surveillance:cluster", {"pk": tables.A("pk")}),
    )

    class Meta:
        model = Chain
        fields = ("root", "size", "active", "first_date", "last_date", "clusters")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "chains-table"}
        empty_text = _("No transmission chain in your area.")

    def render_root(self, value):
        return format_html('<span class="font-monospace">#{}</span>', value)


class ClusterTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=("surveillance:cluster", {"pk": tables.A("pk")}))
    setting = tables.Column(verbose_name=_("Setting"), attrs=SMALL_SCREEN_HIDDEN)
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name", orderable=False, attrs=SMALL_SCREEN_HIDDEN)
    opened_on = tables.DateColumn(verbose_name=_("First case"), format="d/m/Y")
    n_cases = tables.Column(verbose_name=_("Cases"))
    n_active = tables.Column(verbose_name=_("Active"))
    closed_on = tables.DateColumn(verbose_name=_("Closed"), format="d/m/Y", default="—", attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = Cluster
        fields = ("name", "setting", "unit", "opened_on", "n_cases", "n_active", "closed_on")
        attrs = {"class": "table table-sm table-hover align-middle", "id": "clusters-table"}
        empty_text = _("No cluster.")


class ContactTable(tables.Table):
    """The tracing lists, in the selector's order: one row per contact (``_contact_row.html``, whose
    status buttons replace the row in place with htmx), details only for contacts in the user's area
    (the view marks the page's rows with ``selectors.work_rows``)."""

    rank = tables.Column(verbose_name=_("Rank"))
    name = tables.Column(verbose_name=_("Full name"), accessor="person__full_name")
    last_exposure = tables.DateColumn(verbose_name=_("last exposure"), format="d/m/Y")
    status = tables.Column(verbose_name=_("Tracing status"))

    class Meta:
        model = Contact
        fields = ("rank", "name", "last_exposure", "status")
        template_name = "surveillance/_contact_table.html"
        orderable = False
        empty_text = _("No contact matches.")

    def __init__(self, data, *, show_case: bool = False, **kwargs):
        super().__init__(data, **kwargs)
        self.show_case = show_case  # the work list names each contact's F0; a case's own list does not
        self.statuses = MANUAL_STATUSES
