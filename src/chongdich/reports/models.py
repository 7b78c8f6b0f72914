"""The daily situation report ("báo cáo nhanh") of a unit for a day, and each province's cut-off hour.

A report keeps the figures it was saved or sent with (``indicators``, read from the tallies by
``reports.indicators``): corrections made to the records later change the live tallies, never a
report already sent; the report page then says that the figures changed since.
"""

from __future__ import annotations

from datetime import time

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chongdich.core.roles import Cap
from chongdich.core.scoping import ScopedModel

DEFAULT_CUT_OFF = time(18, 0)


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")


class ReportSetting(models.Model):
    """A province's cut-off hour for the daily reports of its units (default 18:00)."""

    province = models.OneToOneField(
        "territory.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("province")
    )
    cut_off = models.TimeField(_("cut-off time"), default=DEFAULT_CUT_OFF)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("report setting")
        verbose_name_plural = _("report settings")

    def __str__(self) -> str:
        return f"{self.province_id} {self.cut_off:%H:%M}"


class DailyReport(ScopedModel):
    """One unit's report for one day: the figures as saved or sent, and the officer's comments."""

    day = models.DateField(_("day"))
    cut_off = models.TimeField(_("cut-off time"), default=DEFAULT_CUT_OFF)
    status = models.CharField(_("status"), max_length=8, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    indicators = models.JSONField(_("figures"), default=dict, blank=True)
    figures_at = models.DateTimeField(_("figures read at"), null=True, blank=True)
    number = models.CharField(_("document number"), max_length=40, blank=True)
    comments = models.TextField(_("comments"), blank=True)
    recipients = models.TextField(_("recipients"), blank=True)
    signer = models.CharField(_("signed by"), max_length=120, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    scope_capability = Cap.UNITS_VIEW

    class Meta(ScopedModel.Meta):
        verbose_name = _("daily report")
        verbose_name_plural = _("daily reports")
        ordering = ["-day", "unit_path"]
        constraints = [models.UniqueConstraint(fields=["unit", "day"], name="report_unit_day")]
        indexes = [
            *ScopedModel.Meta.indexes,
            models.Index(
                fields=["day", "unit_path"], name="report_day_path", opclasses=["date_ops", "varchar_pattern_ops"]
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit.name if self.unit_id else ''} {self.day:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("reports:detail", args=[self.unit.code, self.day.isoformat()])

    @property
    def sent(self) -> bool:
        return self.status == ReportStatus.SENT
