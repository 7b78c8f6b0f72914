"""Tables of the forecast lists: the child units ranked by growth or Rt, and what runs out first."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chongdich.forecast.models import Estimate, Runout

SMALL_SCREEN_HIDDEN = {"th": {"class": "hide-sm"}, "td": {"class": "hide-sm"}}
NUMBER = {"th": {"class": "text-end"}, "td": {"class": "text-end text-nowrap"}}


def fmt(value, digits: int = 2) -> str:
    return number_format(value, digits, use_l10n=True) if value is not None else "—"


def growth_text(value: float | None) -> str:
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{number_format(abs(value) * 100, 0, use_l10n=True)}%"


def rt_text(estimate: Estimate) -> str:
    if not estimate.reliable or estimate.rt_mean is None:
        return gettext("not enough cases")
    return f"{fmt(estimate.rt_mean)} ({fmt(estimate.rt_lo)}–{fmt(estimate.rt_hi)})"


def doubling_text(estimate: Estimate) -> str:
    days = estimate.doubling_days
    if not estimate.reliable or days is None:
        return "—"
    if abs(days) > 365:
        return gettext("stable")
    if days > 0:
        return gettext("doubles in %(n)s days") % {"n": fmt(days, 1)}
    return gettext("halves in %(n)s days") % {"n": fmt(-days, 1)}


def days_text(days: int | None) -> str:
    if days is None:
        return gettext("not within the horizon")
    if days == 0:
        return gettext("already")
    return fmt(days, 0)


def short_days(days: int | None) -> str:
    """Days in a narrow column: "0" when already there, "—" (with its meaning as a tooltip) when not
    within the horizon."""
    if days is None:
        return format_html('<span title="{}">—</span>', gettext("not within the horizon"))
    return fmt(days, 0)


class RankingTable(tables.Table):
    """Child units, worst first (the order of the selector: the columns are not sortable)."""

    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name")
    level = tables.Column(verbose_name=_("Risk level"), empty_values=(), attrs=SMALL_SCREEN_HIDDEN)
    growth_wow = tables.Column(verbose_name=_("Week over week"), empty_values=(), attrs=NUMBER)
    cases = tables.Column(verbose_name=_("Cases 7 days (7 days before)"), empty_values=(), attrs=NUMBER)
    rt = tables.Column(verbose_name=_("Rt, interval (95%)"), empty_values=(), attrs={"td": {"class": "text-nowrap"}})
    p_below_1 = tables.Column(verbose_name=_("P(Rt < 1)"), empty_values=(), attrs=SMALL_SCREEN_HIDDEN)
    doubling = tables.Column(verbose_name=_("Doubling / halving"), empty_values=(), attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = Estimate
        fields = ("unit", "level", "growth_wow", "cases", "rt", "p_below_1", "doubling")
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle", "id": "ranking-table"}
        empty_text = _("No estimate for the units of this place on this day.")

    def __init__(self, *args, levels=None, day=None, **kwargs):
        self.levels = levels or {}
        self.day = day
        super().__init__(*args, **kwargs)

    def render_unit(self, record):
        url = reverse("forecast:unit", args=[record.unit.code])
        if self.day:
            url += f"?day={self.day.isoformat()}"
        return format_html('<a href="{}">{}</a>', url, record.unit.name)

    def render_level(self, record):
        badge = self.levels.get(record.unit.code)
        return badge or "—"

    def render_growth_wow(self, record):
        value = record.growth_wow
        css = "text-danger fw-semibold" if value is not None and value > 0 else ""
        return format_html('<span class="{}">{}</span>', css, growth_text(value))

    def render_cases(self, record):
        return format_html(
            '{} <span class="text-secondary">({})</span>', fmt(record.cases_7d, 0), fmt(record.cases_prev_7d, 0)
        )

    def render_rt(self, record):
        if not record.reliable or record.rt_mean is None:
            return format_html('<span class="text-secondary fst-italic">{}</span>', rt_text(record))
        css = "text-danger fw-semibold" if (record.rt_lo or 0) > 1 else ""
        return format_html('<span class="{}">{}</span>', css, rt_text(record))

    def render_p_below_1(self, record):
        if not record.reliable or record.p_below_1 is None:
            return "—"
        return f"{number_format(record.p_below_1 * 100, 0, use_l10n=True)}%"

    def render_doubling(self, record):
        return doubling_text(record)


class RunoutTable(tables.Table):
    subject = tables.Column(verbose_name=_("What"))
    kind = tables.Column(verbose_name=_("Threshold"), attrs=SMALL_SCREEN_HIDDEN)
    days = tables.Column(verbose_name=_("Days left"), empty_values=(), attrs=NUMBER)
    days_early = tables.Column(verbose_name=_("At the earliest"), empty_values=(), attrs=NUMBER)
    on_day = tables.DateColumn(verbose_name=_("Projected on"), format="d/m/Y", default="—", attrs=SMALL_SCREEN_HIDDEN)
    load = tables.Column(
        verbose_name=_("Now / threshold"),
        empty_values=(),
        attrs={"th": {"class": "text-end hide-sm"}, "td": {"class": "text-end text-nowrap hide-sm"}},
    )
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name", attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        model = Runout
        fields = ("subject", "kind", "days", "days_early", "on_day", "load", "unit")
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle", "id": "runout-table"}
        empty_text = _("No threshold is projected for this place on this day.")

    def render_subject(self, record):
        if record.link:
            return format_html('<a href="{}">{}</a>', record.link, record.subject)
        return record.subject

    def render_days(self, record):
        css = "text-danger fw-semibold" if record.days is not None and record.days <= 7 else ""
        return format_html('<span class="{}">{}</span>', css, short_days(record.days))

    def render_days_early(self, record):
        return short_days(record.days_early)

    def render_load(self, record):
        return f"{fmt(record.current, 0)} / {fmt(record.capacity, 0)}"


class RunTable(tables.Table):
    day = tables.Column(verbose_name=_("As of"), linkify=lambda record: record.get_absolute_url())
    status = tables.Column(verbose_name=_("Status"))
    progress = tables.Column(verbose_name=_("Units done"), empty_values=(), attrs=NUMBER)
    queued_at = tables.DateTimeColumn(verbose_name=_("Queued at"), format="d/m/Y H:i", attrs=SMALL_SCREEN_HIDDEN)
    seconds = tables.Column(verbose_name=_("Seconds"), attrs=NUMBER, default="—")
    started_by = tables.Column(verbose_name=_("Started by"), default=_("nightly job"), attrs=SMALL_SCREEN_HIDDEN)

    class Meta:
        fields = ("day", "status", "progress", "queued_at", "seconds", "started_by")
        orderable = False
        attrs = {"class": "table table-sm table-hover align-middle", "id": "runs-table"}
        empty_text = _("No forecast run yet.")

    def render_day(self, value):
        return value.strftime("%d/%m/%Y")

    def render_status(self, record):
        css = {"done": "text-bg-success", "failed": "text-bg-danger", "running": "text-bg-primary"}.get(
            record.status, "text-bg-light border"
        )
        return format_html('<span class="badge {}">{}</span>', css, record.get_status_display())

    def render_progress(self, record):
        return f"{fmt(record.done, 0)} / {fmt(record.total, 0)}" if record.total else "—"

    def render_seconds(self, value):
        return fmt(value, 1)
