"""Samples (single, rapid antigen, pooled), labs with daily capacity, results, screening campaigns."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chongdich.core.recorded import Recorded, scoped_history
from chongdich.core.scoping import ScopedModel
from chongdich.tallies.engine import UNITS, Contribution


@dataclass(frozen=True)
class Coverage:
    """How much of a campaign's target list was tested."""

    targets: int
    tested: int

    @property
    def percent(self) -> int:
        return round(100 * self.tested / self.targets) if self.targets else 0

    @property
    def untested(self) -> int:
        return self.targets - self.tested


DEFAULT_POOL_LIMIT = 10  # Ministry of Health guidance: pools of up to 10 people
POOL_LIMIT_CEILING = 20  # no pool size above this may be configured


class SampleKind(models.TextChoices):
    RT_PCR = "rt_pcr", _("RT-PCR")
    RAPID_ANTIGEN = "rapid_antigen", _("Rapid antigen test")
    POOLED_RT_PCR = "pooled_rt_pcr", _("Pooled RT-PCR")


class SampleReason(models.TextChoices):
    """Sampling categories of the daily report (vn-covid-rules §6)."""

    F1 = "f1", _("F1")
    F2 = "f2", _("F2")
    LOCKDOWN = "lockdown", _("Locked-down area")
    FEVER_COUGH = "fever_cough", _("Fever or cough in the community")
    SCREENING = "screening", _("Screening")
    TREATMENT = "treatment", _("Follow-up of a case")
    TRAVEL = "travel", _("Travel, checkpoint")
    OTHER = "other", _("Other")


class SampleStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for result")
    NEGATIVE = "negative", _("Negative")
    POSITIVE = "positive", _("Positive")
    INVALID = "invalid", _("Invalid, resample")


class Lab(ScopedModel, Recorded):
    name = models.CharField(_("name"), max_length=160)
    code = models.CharField(_("code"), max_length=20, unique=True)
    daily_capacity = models.PositiveIntegerField(_("RT-PCR samples per day"), default=0)
    antigen_capacity = models.PositiveIntegerField(_("rapid tests per day"), default=0)
    active = models.BooleanField(_("active"), default=True)

    history = scoped_history()
    scope_capability = "tests.view"

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("laboratory")
        verbose_name_plural = _("laboratories")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("testing:lab", args=[self.pk])


class Campaign(ScopedModel, Recorded):
    """Screening aimed at groups or areas, with coverage measured against its target list."""

    name = models.CharField(_("name"), max_length=160)
    target_description = models.CharField(_("target"), max_length=200, blank=True)
    start = models.DateField(_("from"))
    end = models.DateField(_("until"), null=True, blank=True)
    sample_kind = models.CharField(
        _("test"), max_length=16, choices=SampleKind.choices, default=SampleKind.POOLED_RT_PCR
    )
    targets = models.ManyToManyField(
        "people.Person", blank=True, related_name="campaigns", verbose_name=_("target list")
    )

    history = scoped_history()
    scope_capability = "tests.view"

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("screening campaign")
        verbose_name_plural = _("screening campaigns")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("testing:campaign", args=[self.pk])

    @property
    def coverage(self) -> Coverage:
        """From the ``target_count`` and ``tested_count`` of ``selectors.with_coverage``."""
        return Coverage(self.target_count, self.tested_count)


class Sample(ScopedModel, Recorded):
    """One tube: a person's sample, a rapid test, or a pool of up to N people (then ``person`` is empty)."""

    code = models.CharField(_("sample code"), max_length=40, unique=True)
    kind = models.CharField(_("test"), max_length=16, choices=SampleKind.choices, default=SampleKind.RT_PCR)
    person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="samples",
        verbose_name=_("person"),
    )
    reason = models.CharField(_("reason"), max_length=12, choices=SampleReason.choices, default=SampleReason.OTHER)
    taken_on = models.DateField(_("taken on"))
    lab = models.ForeignKey(
        Lab, null=True, blank=True, on_delete=models.PROTECT, related_name="samples", verbose_name=_("laboratory")
    )
    campaign = models.ForeignKey(
        Campaign,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="samples",
        verbose_name=_("screening campaign"),
    )
    pool = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="retests",
        verbose_name=_("re-test of pool"),
    )
    pool_limit = models.PositiveSmallIntegerField(_("people per pool at most"), null=True, blank=True)
    status = models.CharField(_("result"), max_length=10, choices=SampleStatus.choices, default=SampleStatus.PENDING)
    result_on = models.DateField(_("result date"), null=True, blank=True)
    ct_value = models.DecimalField(_("Ct"), max_digits=4, decimal_places=1, null=True, blank=True)

    history = scoped_history()
    scope_capability = "tests.view"

    class Meta(ScopedModel.Meta, Recorded.Meta):
        verbose_name = _("sample")
        verbose_name_plural = _("samples")
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(fields=["person", "taken_on"], name="sample_person"),
            models.Index(fields=["status", "taken_on"], name="sample_status"),
            models.Index(fields=["lab", "taken_on"], name="sample_lab"),
            models.Index(fields=["taken_on", "id"], name="sample_taken"),  # newest first in a large area's list
            models.Index(fields=["created_at"], name="sample_created"),  # the daily report's cut-off
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("testing:sample", args=[self.pk])

    def tally_contributions(self):
        unit = UNITS.of(self)
        yield Contribution(unit, self.taken_on, "samples_taken", 1)
        yield Contribution(unit, self.taken_on, "samples_pending", 1)
        if self.status != SampleStatus.PENDING and self.result_on:
            yield Contribution(unit, self.result_on, "samples_pending", -1)
            if self.status in (SampleStatus.NEGATIVE, SampleStatus.POSITIVE):
                yield Contribution(unit, self.result_on, "tests_done", 1)
            if self.status == SampleStatus.POSITIVE:
                yield Contribution(unit, self.result_on, "tests_positive", 1)
        if self.reason == SampleReason.FEVER_COUGH:  # community screening of people with fever or cough
            yield Contribution(unit, self.taken_on, "fever_sampled", 1)
            if self.result_on and self.status in (SampleStatus.NEGATIVE, SampleStatus.POSITIVE):
                yield Contribution(unit, self.result_on, "fever_tested", 1)
                if self.status == SampleStatus.POSITIVE:
                    yield Contribution(unit, self.result_on, "fever_positive", 1)


class PoolMember(models.Model):
    pool = models.ForeignKey(Sample, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="pool_memberships")

    class Meta:
        verbose_name = _("pool member")
        verbose_name_plural = _("pool members")
        constraints = [models.UniqueConstraint(fields=["pool", "person"], name="pool_member_once")]


class LabResult(models.Model):
    """A result line as received from a lab (append-only, idempotent on the lab's own id)."""

    lab_code = models.CharField(_("laboratory"), max_length=20)
    lab_result_id = models.CharField(_("lab result id"), max_length=60)
    sample_code = models.CharField(_("sample code"), max_length=40, db_index=True)
    result = models.CharField(_("result"), max_length=10, choices=SampleStatus.choices)
    ct_value = models.DecimalField(_("Ct"), max_digits=4, decimal_places=1, null=True, blank=True)
    result_on = models.DateField(_("result date"))
    received_at = models.DateTimeField(default=timezone.now)
    import_job_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("lab result")
        verbose_name_plural = _("lab results")
        constraints = [models.UniqueConstraint(fields=["lab_code", "lab_result_id"], name="lab_result_once")]
