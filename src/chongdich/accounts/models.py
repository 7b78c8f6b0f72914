"""Users, their (role, unit) grants and API tokens for devices and integrations."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from chongdich.core import clock
from chongdich.core.roles import Role


class RoleChoice(models.TextChoices):
    NATIONAL_ADMIN = Role.NATIONAL_ADMIN.value, _("National administrator")
    PROVINCE_COMMITTEE = Role.PROVINCE_COMMITTEE.value, _("Province steering committee")
    DISTRICT_COMMITTEE = Role.DISTRICT_COMMITTEE.value, _("District steering committee")
    COMMUNE_COMMITTEE = Role.COMMUNE_COMMITTEE.value, _("Commune steering committee")
    HEALTH_STAFF = Role.HEALTH_STAFF.value, _("Health staff")
    LAB_STAFF = Role.LAB_STAFF.value, _("Laboratory staff")
    CHECKPOINT_OFFICER = Role.CHECKPOINT_OFFICER.value, _("Checkpoint officer")
    FACILITY_MANAGER = Role.FACILITY_MANAGER.value, _("Quarantine facility manager")
    COMMUNITY_TEAM = Role.COMMUNITY_TEAM.value, _("Community COVID team member")
    VIEWER = Role.VIEWER.value, _("Viewer")


class User(AbstractUser):
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.get_username()

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name()

    def get_absolute_url(self) -> str:
        return reverse("accounts:user", args=[self.pk])


class Grant(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="grants")
    role = models.CharField(_("role"), max_length=24, choices=RoleChoice.choices)
    unit = models.ForeignKey(
        "territory.AdminUnit", on_delete=models.PROTECT, related_name="grants", verbose_name=_("unit")
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    granted_at = models.DateTimeField(default=timezone.now)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [models.UniqueConstraint(fields=["user", "role", "unit"], name="grant_unique")]

    def __str__(self) -> str:
        return f"{self.get_role_display()} — {self.area_label}"

    @property
    def area_label(self) -> str:
        """Where the role applies: the unit, or the whole country for a national role."""
        return str(_("Whole country")) if self.role == RoleChoice.NATIONAL_ADMIN else self.unit.name


class ApiToken(models.Model):
    """A bearer token; only a SHA-256 of the secret is stored, the secret is shown once.  Every token
    expires (``API_TOKEN_DAYS`` by default, at most ``API_TOKEN_MAX_DAYS``): a lost phone stops working."""

    PREFIX = "cd_"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=80)
    key_prefix = models.CharField(max_length=12, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @staticmethod
    def hash(raw: str) -> str:
        return hashlib.sha256(raw.encode()).hexdigest()

    @classmethod
    def issue(cls, user, name: str, expires_at=None) -> tuple[ApiToken, str]:
        """A new token and its secret; it expires at ``expires_at``, by default API_TOKEN_DAYS from now."""
        expires_at = expires_at or clock.now() + timedelta(days=settings.API_TOKEN_DAYS)
        raw = cls.PREFIX + secrets.token_urlsafe(32)
        token = cls.objects.create(
            user=user, name=name, key_prefix=raw[:10], key_hash=cls.hash(raw), expires_at=expires_at
        )
        return token, raw

    @property
    def valid_until(self):
        """The last local day the token works (it expires at the midnight after it)."""
        return timezone.localtime(self.expires_at - timedelta(microseconds=1)).date()

    @property
    def expired(self) -> bool:
        return self.expires_at <= clock.now()  # the system's clock: a drill pinned to a day keeps its tokens

    @property
    def active(self) -> bool:
        return self.revoked_at is None and not self.expired

    @classmethod
    def authenticate(cls, raw: str):
        """The user behind a raw token, or None."""
        if not raw or not raw.startswith(cls.PREFIX):
            return None
        token = cls.objects.select_related("user").filter(key_hash=cls.hash(raw)).first()
        if token is None or not token.active or not token.user.is_active:
            return None
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            cls.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user
