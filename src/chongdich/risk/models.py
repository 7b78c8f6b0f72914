"""Stored risk assessments (one per unit × day), local overrides, province settings, capacity
readiness flags, district scenarios and the tasks a scenario switch creates.

Levels are public information: assessments are reference data like the units themselves (read with
``units.view``); overrides, settings and readiness flags are written by the committees in scope.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chongdich.core.scoping import ScopedModel
from chongdich.risk.rules.levels import scale

NATION_CODE = "VN"  # the nation is not an AdminUnit: its assessment has no unit


class Tier(models.TextChoices):
    COMMUNE = "commune", _("Commune")
    DISTRICT = "district", _("District")
    PROVINCE = "province", _("Province")
    NATION = "nation", _("Whole country")


class FrameworkChoice(models.TextChoices):
    F2686 = "2686", "QĐ 2686/QĐ-BCĐQG"
    F4800 = "4800", "NQ 128/NQ-CP + QĐ 4800/QĐ-BYT"
    F218 = "218", "QĐ 218/QĐ-BYT"


# What an assessment carries from one day to the next: the level in force and the one announced to follow.
LEVEL_STATE_FIELDS = (
    "in_force_framework",
    "in_force_level",
    "in_force_since",
    "pending_framework",
    "pending_level",
    "pending_from",
)


class RiskAssessment(models.Model):
    """A unit's assessment for one day: the computed level, the level to apply, why, and when it
    takes effect.  A changed level takes effect ``notice_hours`` after ``announced_at`` (R-24).  Each
    row also keeps the unit's publication state after it was announced: the level in force
    (``in_force_*``) and an announced change not yet in force (``pending_*``)."""

    # Few indexes: 10,000 rows are written every day (read by code, or by day).
    unit = models.ForeignKey(
        "territory.AdminUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    code = models.CharField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    tier = models.CharField(_("tier"), max_length=10, choices=Tier.choices)
    unit_path = models.CharField(max_length=160)
    province_code = models.CharField(max_length=8, blank=True)
    day = models.DateField(_("day"))
    framework = models.CharField(_("framework"), max_length=8, choices=FrameworkChoice.choices)
    rule_version = models.CharField(_("rule version"), max_length=300)
    inputs = models.JSONField(_("inputs"), default=dict, blank=True)
    indicators = models.JSONField(_("indicators"), default=dict, blank=True)
    computed_level = models.SmallIntegerField(_("computed level"), null=True, blank=True)
    applied_level = models.SmallIntegerField(_("applied level"), null=True, blank=True)
    colour = models.CharField(_("colour"), max_length=8, blank=True)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)  # [{"rule", "vi", "en"}]
    missing = models.JSONField(_("missing inputs"), default=list, blank=True)
    method = models.CharField(_("method"), max_length=24, blank=True)
    announced_at = models.DateTimeField(_("announced at"))
    effective_from = models.DateTimeField(_("effective from"), null=True, blank=True)
    effective_to = models.DateTimeField(_("effective until"), null=True, blank=True)
    in_force_framework = models.CharField(max_length=8, blank=True)
    in_force_level = models.SmallIntegerField(null=True, blank=True)
    in_force_since = models.DateTimeField(null=True, blank=True)
    pending_framework = models.CharField(max_length=8, blank=True)
    pending_level = models.SmallIntegerField(null=True, blank=True)
    pending_from = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        constraints = [models.UniqueConstraint(fields=["code", "day"], name="risk_assessment_code_day")]
        indexes = [models.Index(fields=["day", "tier"], name="risk_assessment_day_tier")]

    def __str__(self) -> str:
        return f"{self.code} {self.day}"

    def get_absolute_url(self) -> str:
        return reverse("risk:unit", args=[self.code])

    def level_at(self, at: datetime) -> tuple[str, int | None]:
        """(framework, level) in force at ``at``, a time after this row's announcement and before
        the next row's."""
        if self.pending_from is not None and self.pending_from <= at:
            return self.pending_framework, self.pending_level
        return self.in_force_framework, self.in_force_level

    def since_at(self, at: datetime) -> datetime | None:
        if self.pending_from is not None and self.pending_from <= at:
            return self.pending_from
        return self.in_force_since

    def pending_at(self, at: datetime) -> tuple[str, int, datetime] | None:
        """The announced change still to come at ``at``: (framework, level, from)."""
        if self.pending_from is not None and self.pending_from > at and self.pending_level is not None:
            return self.pending_framework, self.pending_level, self.pending_from
        return None


class RiskOverride(models.Model):
    """A locality's decision to apply a level above the assessed one (R-14), for a period."""

    unit = models.ForeignKey("territory.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=160, editable=False)
    framework = models.CharField(_("framework"), max_length=8, choices=FrameworkChoice.choices)
    level = models.SmallIntegerField(_("level"))
    reason = models.TextField(_("reason"))
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until (last day)"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("decided at"), default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("level override")
        verbose_name_plural = _("level overrides")
        ordering = ["-valid_from", "-at"]
        indexes = [models.Index(fields=["valid_from", "valid_to"], name="risk_override_period")]

    def __str__(self) -> str:
        return f"{self.unit_id} → {self.level} ({self.valid_from})"

    def covers(self, day) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day <= self.valid_to)

    @property
    def level_label(self) -> str:
        return level_label(self.framework, self.level)


class ProvinceRiskSetting(models.Model):
    """A province's choices for the risk engine from a date: framework, local raises (R-14),
    scenario thresholds and notice.  Turned into province rule versions (``configuration``)."""

    class ScenarioTier(models.TextChoices):
        DISTRICT = "district", _("Each district")
        PROVINCE = "province", _("The province as a whole")

    province = models.ForeignKey(
        "territory.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    effective_from = models.DateField(_("from"))
    framework = models.CharField(
        _("framework"),
        max_length=8,
        blank=True,
        choices=FrameworkChoice.choices,
        help_text=_("Leave empty to follow the national dates (31/5/2021, 11/10/2021, 27/1/2022)."),
    )
    raise_border_by = models.PositiveSmallIntegerField(
        _("raise border communes by"), default=0, choices=[(0, _("no raise")), (1, "1"), (2, "2")]
    )
    raise_next_to_higher_by = models.PositiveSmallIntegerField(
        _("raise communes next to higher-level areas by"), default=0, choices=[(0, _("no raise")), (1, "1"), (2, "2")]
    )
    scenario_2_from = models.PositiveIntegerField(_("scenario 2 from (active cases)"), default=100)
    scenario_3_above = models.PositiveIntegerField(_("scenario 3 above (active cases)"), default=500)
    scenario_tier = models.CharField(
        _("scenarios for"), max_length=10, choices=ScenarioTier.choices, default=ScenarioTier.DISTRICT
    )
    notice_hours = models.PositiveSmallIntegerField(_("notice before a level change (hours)"), default=48)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("province risk setting")
        verbose_name_plural = _("province risk settings")
        ordering = ["province_id", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["province", "effective_from"], name="risk_setting_province_from"),
            models.CheckConstraint(
                condition=Q(raise_border_by__lte=2) & Q(raise_next_to_higher_by__lte=2), name="risk_setting_raise_k"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.province_id} {self.effective_from}"


class CapacityReadiness(models.Model):
    """Whether a unit's treatment capacity is ready (4800 criterion 3, 218 criterion 3a), set by
    its committee from a date.  Communes use their own flag, else their district's, else their
    province's; without any the input is reported missing."""

    unit = models.ForeignKey("territory.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=160, editable=False)
    ready = models.BooleanField(_("treatment capacity ready"))
    effective_from = models.DateField(_("from"))
    note = models.TextField(_("note"), blank=True)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    set_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("capacity readiness")
        verbose_name_plural = _("capacity readiness")
        ordering = ["unit_id", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["unit", "effective_from"], name="risk_readiness_unit_from")]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.ready} ({self.effective_from})"


class ScenarioState(models.Model):
    """The outbreak scenario a district (or a configured unit) is in (0: no active case)."""

    unit = models.OneToOneField("territory.AdminUnit", on_delete=models.PROTECT, related_name="+")
    unit_path = models.CharField(max_length=160, editable=False)
    scenario = models.PositiveSmallIntegerField(_("scenario"), default=0)
    active_cases = models.PositiveIntegerField(_("active cases"), default=0)
    since = models.DateField(_("since"))
    updated_on = models.DateField(_("assessed on"))
    rule_version = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.scenario}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class Task(ScopedModel):
    """A response task for an agency, created when a unit switches scenario (minimal until the
    operations module exists)."""

    code = models.CharField(max_length=40)
    agency = models.CharField(_("agency"), max_length=40)
    agency_vi = models.CharField(max_length=200)
    agency_en = models.CharField(max_length=200)
    what_vi = models.TextField()
    what_en = models.TextField()
    deadline = models.DateTimeField(_("deadline"))
    status = models.CharField(_("status"), max_length=10, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    source_scenario = models.PositiveSmallIntegerField(_("scenario"))
    activated_on = models.DateField(_("scenario started"))
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    scope_capability = "units.view"

    class Meta(ScopedModel.Meta):
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "code", "source_scenario", "activated_on"], name="risk_task_once_per_activation"
            ),
        ]

    def __str__(self) -> str:
        return self.what_vi[:80]

    def get_absolute_url(self) -> str:
        return reverse("risk:scenario", args=[self.unit.code]) + f"#task-{self.pk}"

    def what(self, lang: str) -> str:
        return self.what_en if lang == "en" else self.what_vi

    def agency_name(self, lang: str) -> str:
        return self.agency_en if lang == "en" else self.agency_vi


def level_label(framework: str, level: int | None, lang: str = "vi") -> str:
    """ "Cam" / "cấp 3 (cam)" (or the English) for a framework's level; "—" without a level."""
    if level is None or not framework:
        return "—"
    levels = scale(framework)
    return levels.label_en(level) if lang == "en" else levels.label_vi(level)
