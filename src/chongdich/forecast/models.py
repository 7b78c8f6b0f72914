"""Forecasts and early warning: per unit and day, the reproduction number (Cori's method), projections
of daily cases and of the demand they bring (beds by type, quarantine places, tests), the scores of
earlier projections against what happened, and the thresholds each unit, facility, lab and vaccine lot
will cross first ("what runs out first, and when").

Everything here is *computed* by the nightly run (``forecast.nightly``) from the tallies and the
capacity records, for every unit of the tree (communes and their roll-ups); a re-run of a day replaces
that day's rows.  Pages, the dashboard and the map read these tables only, never recompute.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chongdich.core.recorded import scoped_history
from chongdich.core.scoping import ScopedModel

VIEW, EDIT = "forecast.view", "forecast.edit"


class RunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Run(models.Model):
    """One nightly (or hand-started) run for a day: its progress, for the page that follows it."""

    day = models.DateField(_("as of"))
    status = models.CharField(_("status"), max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED)
    step = models.CharField(_("step"), max_length=40, blank=True)
    done = models.PositiveIntegerField(_("units done"), default=0)
    total = models.PositiveIntegerField(_("units"), default=0)
    queued_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    seconds = models.FloatField(_("seconds"), null=True, blank=True)
    figures = models.JSONField(default=dict, blank=True)  # rows written per table, timings per step
    error = models.TextField(_("error"), blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("forecast run")
        verbose_name_plural = _("forecast runs")
        ordering = ["-queued_at"]
        indexes = [models.Index(fields=["day", "status"], name="forecast_run_day")]

    def __str__(self) -> str:
        return f"{self.day} {self.status}"

    def get_absolute_url(self) -> str:
        return reverse("forecast:run", args=[self.pk])


class Estimate(ScopedModel):
    """The reproduction number of a unit, for the window ending on ``day``, and the growth figures
    around it.  ``reliable`` is false when the window held too few cases: the page then says so and
    shows no number (rt_* are still stored for the CLI and the scores)."""

    day = models.DateField(_("day"))
    tier = models.CharField(_("level"), max_length=10)  # territory.Level of the unit
    window = models.PositiveSmallIntegerField(_("window (days)"))
    cases_window = models.PositiveIntegerField(_("cases in the window"), default=0)
    reliable = models.BooleanField(_("enough cases"), default=False)
    rt_mean = models.FloatField(_("Rt"), null=True, blank=True)
    rt_lo = models.FloatField(_("Rt, 2.5%"), null=True, blank=True)
    rt_hi = models.FloatField(_("Rt, 97.5%"), null=True, blank=True)
    p_below_1 = models.FloatField(_("probability that Rt < 1"), null=True, blank=True)
    growth_rate = models.FloatField(_("growth rate per day"), null=True, blank=True)
    doubling_days = models.FloatField(_("doubling time (days; negative: halving)"), null=True, blank=True)
    cases_7d = models.PositiveIntegerField(_("cases, last 7 days"), default=0)
    cases_prev_7d = models.PositiveIntegerField(_("cases, the 7 days before"), default=0)
    growth_wow = models.FloatField(_("week-over-week growth"), null=True, blank=True)  # 0.25 = +25%
    active = models.IntegerField(_("active cases"), default=0)
    config_version = models.CharField(_("settings version"), max_length=40, blank=True)

    scope_capability = VIEW

    class Meta(ScopedModel.Meta):
        verbose_name = _("Rt estimate")
        verbose_name_plural = _("Rt estimates")
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="forecast_estimate_unit_day")]
        indexes = [
            models.Index(
                fields=["unit_path", "day"], name="forecast_est_path_day", opclasses=["varchar_pattern_ops", "date_ops"]
            ),
            models.Index(fields=["day"], name="forecast_est_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.rt_mean}"


class Method(models.TextChoices):
    RENEWAL = "renewal", _("Renewal model")
    NAIVE = "naive", _("Naive (last 7-day mean)")


class Projection(ScopedModel):
    """Daily new cases projected for the ``horizon`` days after ``as_of``, as quantiles, and the demand
    they bring.  ``quantiles``: {"q05": [h floats], "q25": …, "q50": …, "q75": …, "q95": …} for the days
    as_of+1 … as_of+horizon.  ``demand``: {"treatment": {"q50": [...], "q95": [...]}, "oxygen": …,
    "icu": …, "quarantine": …, "tests": …, "active": …} (beds, places and tests needed each day)."""

    as_of = models.DateField(_("as of"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    horizon = models.PositiveSmallIntegerField(_("horizon (days)"))
    quantiles = models.JSONField(default=dict)
    demand = models.JSONField(default=dict, blank=True)
    config_version = models.CharField(_("settings version"), max_length=40, blank=True)

    scope_capability = VIEW

    class Meta(ScopedModel.Meta):
        verbose_name = _("projection")
        verbose_name_plural = _("projections")
        constraints = [
            models.UniqueConstraint(fields=["unit", "as_of", "method"], name="forecast_projection_unit_day_method")
        ]
        indexes = [
            models.Index(
                fields=["unit_path", "as_of"],
                name="forecast_proj_path_day",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
            models.Index(fields=["as_of"], name="forecast_proj_day"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.as_of} {self.method}"


class Score(ScopedModel):
    """How a projection made on ``made_on`` did for the day ``lead`` days later (``target_day``):
    absolute error of the median, whether the observed value fell inside the 50% and 90% intervals,
    and the weighted interval score (Bracher et al. 2021) over the stored quantiles."""

    made_on = models.DateField(_("made on"))
    lead = models.PositiveSmallIntegerField(_("days ahead"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    target_day = models.DateField(_("day forecast"))
    observed = models.IntegerField(_("observed"))
    median = models.FloatField(_("median"))
    abs_error = models.FloatField(_("absolute error"))
    in_50 = models.BooleanField(_("inside the interval (50%)"))
    in_90 = models.BooleanField(_("inside the interval (90%)"))
    wis = models.FloatField(_("weighted interval score"))

    scope_capability = VIEW

    class Meta(ScopedModel.Meta):
        verbose_name = _("forecast score")
        verbose_name_plural = _("forecast scores")
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "target_day", "lead", "method"], name="forecast_score_unit_day_lead_method"
            )
        ]
        indexes = [
            models.Index(
                fields=["unit_path", "target_day"],
                name="forecast_score_path_day",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.target_day} +{self.lead} {self.method}"


class RunoutKind(models.TextChoices):
    SCENARIO_100 = "scenario_100", _("District passes 100 active cases")
    SCENARIO_500 = "scenario_500", _("District passes 500 active cases")
    BEDS = "beds", _("Facility beds full")
    QUARANTINE = "quarantine", _("Quarantine places full")
    LAB = "lab", _("Lab capacity exceeded")
    VACCINE = "vaccine", _("Vaccine lot runs out")


class Runout(ScopedModel):
    """A threshold and when it is projected to be crossed, as of ``as_of``: a district's scenario switch,
    a facility's beds of a type, an area's quarantine places, a lab's daily capacity, a vaccine lot at a
    site.  ``days`` is the number of days from ``as_of`` to the first day at or over the threshold by the
    median projection (0: already there; null: not within the horizon); ``days_early`` the same by the
    upper (95%) projection — the earliest it may come.  ``subject_ref`` names the object
    ("facility:12:icu", "lab:3", "lot:7@site:2", "unit:70/691"), ``link`` its page."""

    as_of = models.DateField(_("as of"))
    kind = models.CharField(_("threshold"), max_length=14, choices=RunoutKind.choices)
    subject = models.CharField(_("what"), max_length=200)
    subject_ref = models.CharField(max_length=80)
    link = models.CharField(max_length=200, blank=True)
    capacity = models.IntegerField(_("threshold"))
    current = models.IntegerField(_("now"))
    days = models.IntegerField(_("days left"), null=True, blank=True)
    days_early = models.IntegerField(_("days left, earliest"), null=True, blank=True)
    on_day = models.DateField(_("projected on"), null=True, blank=True)
    detail = models.JSONField(default=dict, blank=True)  # the daily demand path shown on the page

    scope_capability = VIEW

    class Meta(ScopedModel.Meta):
        verbose_name = _("threshold")
        verbose_name_plural = _("thresholds")
        constraints = [
            models.UniqueConstraint(fields=["as_of", "kind", "subject_ref"], name="forecast_runout_day_subject")
        ]
        indexes = [
            models.Index(
                fields=["unit_path", "as_of"],
                name="forecast_runout_path_day",
                opclasses=["varchar_pattern_ops", "date_ops"],
            ),
        ]

    def __str__(self) -> str:
        return f"{self.as_of} {self.kind} {self.subject}"


class ForecastSetting(ScopedModel):
    """A province's forecast settings (unit = the province); every field empty = the rules' default
    (``forecast.rules.config``).  ``overrides`` holds the keys of the versioned configuration the
    province changed (serial interval, window, prior, minimum cases, imported cases, demand shares and
    lengths of stay, alert thresholds), checked by the rules before saving."""

    overrides = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = scoped_history()
    scope_capability = VIEW

    class Meta(ScopedModel.Meta):
        verbose_name = _("forecast settings")
        verbose_name_plural = _("forecast settings")
        constraints = [models.UniqueConstraint(fields=["unit"], name="forecast_setting_one_per_province")]

    def __str__(self) -> str:
        return f"{self.province_code}"
