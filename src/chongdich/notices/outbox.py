"""Sending what ``publish`` put in the outbox, and the daily digest.

Claiming: a row is due when it is pending and its ``due_at`` has passed.  A worker claims a row with one
conditional UPDATE (still pending, still due → ``due_at`` a lease ahead, one more attempt); on PostgreSQL
the candidates are first locked with ``SELECT … FOR UPDATE SKIP LOCKED`` so that workers running at once
take different rows instead of queueing behind each other.  Then it sends and marks the row sent, or
failed for now (``last_error``; due again after a backoff), or failed for good after ``MAX_ATTEMPTS``.
A worker that dies after its claim leaves the row pending: the lease ends and another worker sends it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import connection, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chongdich.accounts.models import User
from chongdich.notices.gateways import gateway
from chongdich.notices.models import Channel, Delivery, DeliveryStatus, Digest, Preference, Receipt

log = logging.getLogger("chongdich.notices")

LEASE = timedelta(minutes=10)  # a claimed row not marked within this is taken again
BATCH = 200


def max_attempts() -> int:
    return int(getattr(settings, "CHONGDICH_NOTICE_MAX_ATTEMPTS", 5))


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 5, 25 minutes… at most 6 hours."""
    return min(timedelta(minutes=5 ** (attempts - 1)), timedelta(hours=6))


def recipient_language(user) -> str:
    """The language a message to ``user`` is written in (users have no language of their own yet)."""
    return getattr(user, "language", "") or settings.LANGUAGE_CODE


def absolute(link: str) -> str:
    base = getattr(settings, "CHONGDICH_PUBLIC_URL", "")
    return f"{base}{link}" if link and base else link


@dataclass
class Result:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "retried": self.retried, "failed": self.failed}


def _claim(model, now, limit: int) -> list[int]:
    """Ids of due rows of ``model`` this worker now holds (see the module's docstring)."""
    due = model.objects.filter(status=DeliveryStatus.PENDING, due_at__lte=now).order_by("due_at", "pk")
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            candidates = list(due.select_for_update(skip_locked=True).values_list("pk", flat=True)[:limit])
        else:
            candidates = list(due.values_list("pk", flat=True)[:limit])
        claimed = []
        for pk in candidates:
            # The conditional update is the claim: of two workers that read the same row, one changes it.
            if model.objects.filter(pk=pk, status=DeliveryStatus.PENDING, due_at__lte=now).update(
                due_at=now + LEASE, attempts=F("attempts") + 1
            ):
                claimed.append(pk)
    return claimed


def _after_failure(model, pk: int, error: Exception, result: Result) -> None:
    row = model.objects.get(pk=pk)
    message = f"{type(error).__name__}: {error}"[:500]
    if row.attempts >= max_attempts():
        model.objects.filter(pk=pk, status=DeliveryStatus.PENDING).update(
            status=DeliveryStatus.FAILED, last_error=message
        )
        result.failed += 1
        log.warning("notice %s %s failed for good after %s attempts: %s", model.__name__, pk, row.attempts, message)
    else:
        model.objects.filter(pk=pk, status=DeliveryStatus.PENDING).update(
            last_error=message, due_at=timezone.now() + backoff(row.attempts)
        )
        result.retried += 1
    result.errors.append(message)


def message_text(delivery: Delivery) -> tuple[str, str]:
    """(subject, body) of a delivery, in the recipient's language."""
    notice = delivery.receipt.notice
    with translation.override(recipient_language(delivery.receipt.user)):
        text = notice.text
        subject = _("[Chống dịch] %(text)s") % {"text": text}
        link = absolute(notice.link)
        body = f"{text}\n{link}" if link else text
        if delivery.channel == Channel.EMAIL:
            body = render_to_string(
                "notices/email/notice.txt",
                {"notice": notice, "text": text, "link": link, "settings_link": absolute("/notices/settings/")},
            )
    return subject, body


def _send_one(delivery: Delivery) -> None:
    user = delivery.receipt.user
    subject, body = message_text(delivery)
    if delivery.channel == Channel.EMAIL:
        address = user.email
        if not address:
            raise ValueError("the user has no email address any more")
        send_mail(subject, body, None, [address], fail_silently=False)
    else:
        address = user.phone
        if not address:
            raise ValueError("the user has no phone number any more")
        gateway(delivery.channel).send(address, body)
    delivery.address = address


def send_pending(limit: int = BATCH) -> Result:
    """Send the due deliveries (repeatedly, until none is due); what failed waits for its next attempt."""
    result = Result()
    while True:
        now = timezone.now()
        claimed = _claim(Delivery, now, limit)
        if not claimed:
            return result
        rows = Delivery.objects.filter(pk__in=claimed).select_related("receipt__notice", "receipt__user")
        for delivery in rows:
            try:
                _send_one(delivery)
            except Exception as error:  # noqa: BLE001 - any failure of a gateway or backend is a failed attempt
                _after_failure(Delivery, delivery.pk, error, result)
                continue
            Delivery.objects.filter(pk=delivery.pk, status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.SENT, sent_at=timezone.now(), address=delivery.address[:254], last_error=""
            )
            result.sent += 1


def next_due():
    """When the earliest pending delivery or digest is due (None when nothing waits)."""
    dues = [
        model.objects.filter(status=DeliveryStatus.PENDING).order_by("due_at").values_list("due_at", flat=True).first()
        for model in (Delivery, Digest)
    ]
    dues = [due for due in dues if due is not None]
    return min(dues) if dues else None


# The daily digest ----------------------------------------------------------------------------------


def digest_receipts(user_id: int, day: date):
    """The user's unread receipts of the notices about ``day``."""
    return (
        Receipt.objects.filter(user_id=user_id, read_at__isnull=True, notice__day=day)
        .select_related("notice")
        .order_by("-notice__severity", "notice__created_at", "pk")
    )


def _digest_users(day: date) -> list[int]:
    """Users with unread notices of ``day``, an email address and the digest wanted."""
    unwanted = Preference.objects.filter(digest=False).values("user_id")
    return sorted(
        set(
            Receipt.objects.filter(read_at__isnull=True, notice__day=day, user__is_active=True)
            .exclude(user__email="")
            .exclude(user_id__in=unwanted)
            .values_list("user_id", flat=True)
        )
    )


def send_digests(day: date, limit: int = BATCH) -> Result:
    """One email per user with the unread notices of ``day``; at most one digest per user and day, ever
    (a re-run sends only those not sent yet, and retries the failed attempts that are due)."""
    Digest.objects.bulk_create(
        [Digest(user_id=user_id, day=day) for user_id in _digest_users(day)], ignore_conflicts=True
    )
    result = Result()
    while True:
        now = timezone.now()
        claimed = _claim(Digest, now, limit)
        if not claimed:
            return result
        for digest in Digest.objects.filter(pk__in=claimed).select_related("user"):
            try:
                count = _send_digest(digest)
            except Exception as error:  # noqa: BLE001
                _after_failure(Digest, digest.pk, error, result)
                continue
            Digest.objects.filter(pk=digest.pk, status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.SENT, sent_at=timezone.now(), count=count, last_error=""
            )
            result.sent += 1


def _send_digest(digest: Digest) -> int:
    user: User = digest.user
    receipts = list(digest_receipts(user.pk, digest.day))
    if not receipts or not user.email:  # read meanwhile, or no address: nothing to send, done
        return 0
    with translation.override(recipient_language(user)):
        lines = [(receipt.notice, receipt.notice.text, absolute(receipt.notice.link)) for receipt in receipts]
        subject = _("[Chống dịch] %(count)s notifications of %(day)s") % {
            "count": len(lines),
            "day": digest.day.strftime("%d/%m/%Y"),
        }
        body = render_to_string(
            "notices/email/digest.txt",
            {
                "user": user,
                "day": digest.day,
                "lines": lines,
                "list_link": absolute("/notices/"),
                "settings_link": absolute("/notices/settings/"),
            },
        )
    send_mail(subject, body, None, [user.email], fail_silently=False)
    return len(lines)
