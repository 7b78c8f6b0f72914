"""Notifications: what the system tells a user (a commune's level rose, Rt is above 1, beds run out in
five days, a trip is overdue…), who received it, whether they read it, and how it reached them.

* ``Notice`` — one event, published once (``key`` makes a re-publish return the same notice); its text
  is never stored: the kind's title (a msgid with ``%(name)s`` params) is rendered at display time in
  the reader's language.
* ``Receipt`` — one per recipient, written at publish time (the fan-out): read state lives here.
* ``Delivery`` — the outbox of email, SMS and Zalo messages of a receipt: a worker claims, sends and
  marks each row, so a crash loses nothing and nothing is sent twice.
* ``Mute``, ``Preference`` — what a user does not want, and by which channel they want the rest.
* ``Digest`` — one daily summary email per user and day.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from chongdich.core import clock
from chongdich.core.scoping import ScopedModel
from chongdich.notices import kinds


class Severity(models.TextChoices):
    INFO = "info", _("Information")
    WARNING = "warning", _("Warning")
    DANGER = "danger", _("Danger")


SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.DANGER: 2}


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Notice(ScopedModel):
    """One event worth telling the people of its unit (and of the units above it) about."""

    kind = models.CharField(_("kind"), max_length=60, db_index=True)
    severity = models.CharField(_("severity"), max_length=8, choices=Severity.choices, default=Severity.INFO)
    key = models.CharField(_("key"), max_length=200, unique=True)  # the publisher's idempotency key
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    day = models.DateField(_("day"), default=clock.today, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    scope_capability = "units.view"

    class Meta(ScopedModel.Meta):
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def kind_info(self) -> kinds.Kind:
        return kinds.get(self.kind)

    @property
    def text(self) -> str:
        """The title in the active language, its params filled in (never stored)."""
        return kinds.render(self.kind, self.params)

    def get_absolute_url(self) -> str:
        return reverse("notices:open", args=[self.pk])


class Receipt(models.Model):
    """A notice as one user received it: the fan-out of ``publish``; the read state."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_receipts")
    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="receipts")
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [models.UniqueConstraint(fields=["user", "notice"], name="notices_receipt_unique")]
        indexes = [
            # The bell: the unread count of one user (a partial index where the database has them).
            models.Index(fields=["user"], name="notices_receipt_unread", condition=models.Q(read_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.notice_id}"


class Mute(models.Model):
    """A kind of notice the user does not want (no receipt, no message)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_mutes")
    kind = models.CharField(_("kind"), max_length=60)

    class Meta:
        verbose_name = _("muted kind")
        verbose_name_plural = _("muted kinds")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="notices_mute_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind}"


class Threshold(models.TextChoices):
    """From which severity on a channel is used."""

    OFF = "off", _("Never")
    INFO = "info", _("Every notification")
    WARNING = "warning", _("Warnings and dangers")
    DANGER = "danger", _("Dangers only")


class Preference(models.Model):
    """How a user wants their notifications besides the bell (a user without a row has the defaults)."""

    DEFAULTS = {"email": Threshold.WARNING, "sms": Threshold.DANGER, "zalo": Threshold.OFF, "digest": True}

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preference")
    email = models.CharField(_("by email"), max_length=8, choices=Threshold.choices, default=DEFAULTS["email"])
    sms = models.CharField(_("by SMS"), max_length=8, choices=Threshold.choices, default=DEFAULTS["sms"])
    zalo = models.CharField(_("by Zalo"), max_length=8, choices=Threshold.choices, default=DEFAULTS["zalo"])
    digest = models.BooleanField(_("daily digest by email"), default=DEFAULTS["digest"])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("notification settings")
        verbose_name_plural = _("notification settings")

    def __str__(self) -> str:
        return str(self.user_id)

    def channels_for(self, severity: str) -> list[str]:
        """The channels this preference sends a notice of ``severity`` by."""
        rank = SEVERITY_RANK[Severity(severity)]
        return [
            channel
            for channel in (Channel.EMAIL, Channel.SMS, Channel.ZALO)
            if getattr(self, channel) != Threshold.OFF and SEVERITY_RANK[Severity(getattr(self, channel))] <= rank
        ]


class Delivery(models.Model):
    """One message of a receipt by one channel: the outbox.

    A worker claims a row by moving ``due_at`` a lease ahead (and counting the attempt) in one conditional
    update, sends, then marks it sent or failed.  A worker that dies after claiming leaves the row pending:
    when the lease ends another worker takes it (so a crash loses nothing; the only double send possible
    is a crash between the gateway's answer and the marking)."""

    receipt = models.ForeignKey(Receipt, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    due_at = models.DateTimeField(_("next attempt"), auto_now_add=True)
    address = models.CharField(_("sent to"), max_length=254, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [models.UniqueConstraint(fields=["receipt", "channel"], name="notices_delivery_unique")]
        indexes = [
            models.Index(fields=["due_at"], name="notices_delivery_due", condition=models.Q(status="pending")),
        ]

    def __str__(self) -> str:
        return f"{self.channel} · {self.receipt_id}"


class Digest(models.Model):
    """The daily summary email of one user and day (claimed, sent and retried like a delivery)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_digests")
    day = models.DateField(_("day"))
    status = models.CharField(_("status"), max_length=8, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    due_at = models.DateTimeField(_("next attempt"), auto_now_add=True)
    count = models.PositiveIntegerField(_("notifications"), default=0)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("daily digest")
        verbose_name_plural = _("daily digests")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="notices_digest_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.day}"
