"""The public portal's own records: announcements to the public and hotline numbers.

Everything here is public once published: officers write it for citizens.  Level-change
announcements are also made automatically from the risk module's announced changes (48 hours
ahead, resolution 128): one per change (``source_key``), marked cancelled when a later assessment
reverses the change before it takes effect.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chongdich.core.recorded import Recorded
from chongdich.core.roles import Cap
from chongdich.core.scoping import ScopedModel, ScopedQuerySet


class AnnouncementKind(models.TextChoices):
    LEVEL_CHANGE = "level_change", _("Level change")
    MEASURE = "measure", _("Measures")
    GENERAL = "general", _("General")


class AnnouncementQuerySet(ScopedQuerySet):
    def public(self, at=None):
        """Published, not expired, not withdrawn at ``at`` (default now)."""
        at = at or timezone.now()
        return self.filter(withdrawn_at__isnull=True, publish_at__lte=at).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=at)
        )


class Announcement(ScopedModel, Recorded):
    unit = models.ForeignKey("territory.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    kind = models.CharField(
        _("kind"), max_length=16, choices=AnnouncementKind.choices, default=AnnouncementKind.GENERAL
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    body = models.TextField(_("text"), blank=True)
    publish_at = models.DateTimeField(_("publish at"), default=timezone.now)
    expires_at = models.DateTimeField(_("show until"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(default=timezone.now)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # created_by None: made by the system.  Automatic level-change announcements: the change they announce.
    source_key = models.CharField(max_length=120, null=True, blank=True, editable=False)
    framework = models.CharField(max_length=8, blank=True)
    level = models.SmallIntegerField(null=True, blank=True)
    previous_framework = models.CharField(max_length=8, blank=True)
    previous_level = models.SmallIntegerField(null=True, blank=True)
    effective_from = models.DateTimeField(_("takes effect"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    objects = AnnouncementQuerySet.as_manager()
    scope_capability = Cap.UNITS_EDIT

    class Meta(ScopedModel.Meta):
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-publish_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["source_key"], condition=Q(source_key__isnull=False), name="announcement_source_key"
            ),
            *Recorded.Meta.constraints,
        ]
        indexes = [*ScopedModel.Meta.indexes, models.Index(fields=["publish_at"], name="announcement_publish_at")]

    def __str__(self) -> str:
        return self.title or f"{self.get_kind_display()} {self.unit_id}"

    def get_absolute_url(self) -> str:
        return reverse("portal:announcement", args=[self.pk])

    @property
    def automatic(self) -> bool:
        return bool(self.source_key)


class Hotline(ScopedModel):
    """A telephone number the public can call about the epidemic in an area (several per unit)."""

    unit = models.ForeignKey("territory.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("area"))
    label = models.CharField(
        _("label"), max_length=120, help_text=_("E.g. Steering committee, health centre, ambulance.")
    )
    number = models.CharField(_("number"), max_length=30)
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    scope_capability = Cap.UNITS_EDIT

    class Meta(ScopedModel.Meta):
        verbose_name = _("hotline")
        verbose_name_plural = _("hotlines")
        ordering = ["unit_path", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.label}: {self.number}"

    @property
    def dial(self) -> str:
        return "".join(ch for ch in self.number if ch.isdigit() or ch == "+")
