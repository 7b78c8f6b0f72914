"""Publishing notices and the user's own changes: what they read, what they mute, how they are reached.

``publish`` is called by the apps (the forecast's watch, the other apps' alerts), never by a page:

    notice, created = publish("forecast.rt_above_one", unit, key=f"rt:{unit.pk}:{day}",
                              params={"unit": unit.name, "rt": "1,4"}, link=unit_url)

It is idempotent by ``key`` (a re-publish returns the first notice and fans out nothing more, also when
two workers publish the same key at once: the unique constraint decides, the loser reads the winner's
row).  The recipients are the active users holding a grant with one of the kind's roles on the notice's
unit or a unit above it (a national administrator's grant covers every unit), minus those who muted
the kind: nothing reaches a user about a unit outside their area.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from chongdich.accounts.models import Grant
from chongdich.core import audit, clock
from chongdich.core.roles import Role
from chongdich.notices import kinds
from chongdich.notices.models import (
    Channel,
    Delivery,
    Mute,
    Notice,
    Preference,
    Receipt,
    Severity,
    Threshold,
)
from chongdich.notices.tasks import queue_sending


def ancestor_paths(path: str) -> list[str]:
    """The paths of a unit and of every unit above it ("/70/691/25228/" → "/70/", "/70/691/", "/70/691/25228/")."""
    codes = [code for code in path.strip("/").split("/") if code]
    return ["/" + "/".join(codes[: n + 1]) + "/" for n in range(len(codes))]


def recipients(kind: kinds.Kind, unit_path: str) -> list[int]:
    """Ids of the active users who receive a notice of ``kind`` about the unit at ``unit_path``."""
    roles = [str(role) for role in kind.roles]
    if not roles:
        return []
    where = Q(unit__path__in=ancestor_paths(unit_path))
    if Role.NATIONAL_ADMIN in kind.roles:
        where |= Q(role=Role.NATIONAL_ADMIN)  # the whole country is a national administrator's area
    muted = Mute.objects.filter(kind=kind.code).values("user_id")
    return sorted(
        set(
            Grant.objects.filter(where, role__in=roles, user__is_active=True)
            .exclude(user_id__in=muted)
            .values_list("user_id", flat=True)
        )
    )


def _deliveries(notice: Notice, receipts: list[Receipt]) -> list[Delivery]:
    """The outbox rows of the new receipts: each user's channels for the notice's severity, where the
    user has the address the channel needs (email; a phone for SMS and Zalo)."""
    users = {receipt.user_id: receipt.user for receipt in receipts}
    preferences = {p.user_id: p for p in Preference.objects.filter(user_id__in=users)}
    rows = []
    for receipt in receipts:
        user = users[receipt.user_id]
        preference = preferences.get(receipt.user_id) or Preference(user_id=receipt.user_id)
        for channel in preference.channels_for(notice.severity):
            address = user.email if channel == Channel.EMAIL else user.phone
            if address:
                rows.append(Delivery(receipt=receipt, channel=channel))
    return rows


def publish(
    kind: kinds.Kind | str,
    unit,
    key: str,
    params: dict | None = None,
    link: str = "",
    severity: str | None = None,
    *,
    day: date | None = None,
) -> tuple[Notice, bool]:
    """The notice of ``key`` (created, fanned out and queued for sending the first time), and whether it
    was created now.  ``params`` fill the kind's title at display time (JSON values; ``{"msgid": …}`` is
    translated); ``link`` is the page the notice opens (a path of this site); ``day`` the day it is
    about (today by default: the daily digest groups by it)."""
    kind = kinds.require(kind)
    severity = severity or kind.severity
    if severity not in kinds.SEVERITIES:
        raise ValueError(f"severity must be one of {kinds.SEVERITIES}, not {severity!r}")
    if not key or len(key) > Notice._meta.get_field("key").max_length:
        raise ValueError("a notice key must be 1–200 characters")
    if link and not link.startswith("/"):
        raise ValueError("a notice link must be a path of this site")
    existing = Notice.objects.filter(key=key).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            notice = Notice(
                kind=kind.code, severity=severity, key=key, params=params or {}, link=link, day=day or clock.today()
            )
            notice.place_in(unit)
            notice.save()
            users = recipients(kind, notice.unit_path)
            receipts = Receipt.objects.bulk_create([Receipt(user_id=user_id, notice=notice) for user_id in users])
            if receipts:
                receipts = list(
                    Receipt.objects.filter(notice=notice)
                    .select_related("user")
                    .only("id", "user__email", "user__phone")
                )
                outbox = Delivery.objects.bulk_create(_deliveries(notice, receipts))
                if outbox:
                    queue_sending()
    except IntegrityError:
        # Another publisher of the same key won the race (or the row appeared since the first look).
        notice = Notice.objects.filter(key=key).first()
        if notice is None:
            raise
        return notice, False
    return notice, True


@transaction.atomic
def do_mark_read(actor, notice_pks: Iterable[int] | None = None, *, everything: bool = False) -> int:
    """Mark the actor's own receipts read: of the given notices, or all of them; returns how many changed.
    Another user's notice is not the actor's receipt, so nothing happens to it."""
    receipts = Receipt.objects.filter(user=actor, read_at__isnull=True)
    if not everything:
        pks = [pk for pk in (notice_pks or []) if isinstance(pk, int)]
        if not pks:
            return 0
        receipts = receipts.filter(notice_id__in=pks)
    return receipts.update(read_at=clock.now())


@transaction.atomic
def do_mute(actor, kind: str, muted: bool) -> bool:
    """Mute (or unmute) a kind for the actor; True when it changed.  Audited."""
    if kinds.get(kind) is kinds.UNKNOWN:
        raise ValidationError({"kind": _("Choose a kind of notification from the list.")})
    if muted:
        _mute, changed = Mute.objects.get_or_create(user=actor, kind=kind)
    else:
        changed = Mute.objects.filter(user=actor, kind=kind).delete()[0] > 0
    if changed:
        audit.record(
            actor,
            audit.AuditAction.UPDATE,
            actor,
            detail={"notice_mute": {"kind": kind, "muted": muted}},
            unit_path="",
            label=actor.get_username(),
        )
    return changed


@transaction.atomic
def do_set_mutes(actor, muted_kinds: Iterable[str]) -> int:
    """Make the actor's muted kinds exactly ``muted_kinds`` (the settings page's list); returns the changes."""
    wanted = set(muted_kinds)
    known = {kind.code for kind in kinds.all_kinds()}
    if wanted - known:
        raise ValidationError({"muted": _("Choose kinds of notification from the list.")})
    current = set(Mute.objects.filter(user=actor, kind__in=known).values_list("kind", flat=True))
    changes = 0
    for code in sorted(known):
        if (code in wanted) != (code in current):
            changes += do_mute(actor, code, code in wanted)
    return changes


@transaction.atomic
def do_save_settings(actor, *, receive: Iterable[str], shown: Iterable[str], email, sms, zalo, digest) -> None:
    """The settings page: of the kinds ``shown`` to the actor, those not in ``receive`` are muted (mutes of
    kinds not shown stay as they are), and the channels."""
    shown, receive = set(shown), set(receive)
    kept = {code for code in Mute.objects.filter(user=actor).values_list("kind", flat=True) if code not in shown}
    do_set_mutes(actor, (shown - receive) | {code for code in kept if kinds.get(code) is not kinds.UNKNOWN})
    do_set_channels(actor, email=email, sms=sms, zalo=zalo, digest=digest)


@transaction.atomic
def do_set_channels(actor, *, email: str, sms: str, zalo: str, digest: bool) -> Preference:
    """The actor's channels: from which severity on each of email, SMS and Zalo is used, and the daily digest.
    Audited (the old and new values)."""
    errors = {}
    for name, value in (("email", email), ("sms", sms), ("zalo", zalo)):
        if value not in Threshold.values:
            errors[name] = _("Choose a value from the list.")
    if errors:
        raise ValidationError(errors)
    preference, _created = Preference.objects.get_or_create(user=actor)
    new = {"email": email, "sms": sms, "zalo": zalo, "digest": bool(digest)}
    changed = {
        name: [str(getattr(preference, name)), str(value)]
        for name, value in new.items()
        if getattr(preference, name) != value
    }
    if changed:
        for name, value in new.items():
            setattr(preference, name, value)
        preference.save()
        audit.record(
            actor,
            audit.AuditAction.UPDATE,
            actor,
            detail={"notice_channels": changed},
            unit_path="",
            label=actor.get_username(),
        )
    return preference


__all__ = [
    "Severity",
    "ancestor_paths",
    "do_mark_read",
    "do_mute",
    "do_save_settings",
    "do_set_channels",
    "do_set_mutes",
    "publish",
    "recipients",
]
