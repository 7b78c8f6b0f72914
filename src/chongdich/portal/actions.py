"""Writing the portal's records: announcements (create, edit, withdraw) and hotline numbers by the
committees in scope (``units.edit`` on the unit), and the automatic level-change announcements
made from the risk module's announced changes.  Every write is audited.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.recorded import replay
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.portal.models import Announcement, AnnouncementKind, Hotline
from chongdich.risk.models import RiskAssessment
from chongdich.territory.models import AdminUnit, Level

PUBLIC_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
SHOWN_AFTER_EFFECT = timedelta(days=3)  # an automatic announcement stays on the portal this long after the change
SYNC_WINDOW_DAYS = 14  # assessments read for announced changes
FIELDS = ("kind", "title", "body", "publish_at", "expires_at")


def _no_authority() -> str:
    return _("Only the committee of this area or of an area above it may publish for it.")


def check_authority(actor, unit: AdminUnit) -> None:
    if not in_scope(actor, Cap.UNITS_EDIT, unit):
        raise PermissionDenied(_no_authority())


def _validate(unit: AdminUnit, values: dict) -> dict:
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown announcement fields {sorted(unknown)}")
    errors = {}
    title = (values.get("title") or "").strip()
    body = (values.get("body") or "").strip()
    kind = values.get("kind") or AnnouncementKind.GENERAL
    publish_at = values.get("publish_at") or clock.now()
    expires_at = values.get("expires_at")
    if unit.level not in PUBLIC_LEVELS:
        errors["unit"] = _("Announcements are published for a commune, a district or a province.")
    if kind not in AnnouncementKind.values:
        errors["kind"] = _("Choose the kind of announcement.")
    if len(title) < 5:
        errors["title"] = _("Write a title of at least 5 characters.")
    elif len(title) > 200:
        errors["title"] = _("The title is too long: at most 200 characters.")
    if len(body) < 10:
        errors["body"] = _("Write the text of the announcement (at least 10 characters).")
    elif len(body) > 20_000:
        errors["body"] = _("The text is too long: at most 20,000 characters.")
    if expires_at is not None and expires_at <= publish_at:
        errors["expires_at"] = _("The announcement must be shown until a time after its publication.")
    if errors:
        raise ValidationError(errors)
    return {"kind": kind, "title": title, "body": body, "publish_at": publish_at, "expires_at": expires_at}


@transaction.atomic
def do_create_announcement(actor, unit: AdminUnit, *, client_id: str | None = None, **values) -> Announcement:
    """Publish an announcement for ``unit`` (at ``publish_at``, default now).  A re-sent form (same
    ``client_id``) returns the announcement already made."""
    check_authority(actor, unit)
    existing = replay(actor, Announcement, client_id, capability=Cap.UNITS_EDIT, refusal=_no_authority())
    if existing is not None:
        return existing
    cleaned = _validate(unit, values)
    now = clock.now()
    announcement = Announcement(created_at=now, updated_by=actor, updated_at=now, **cleaned).stamp(actor, client_id)
    announcement.place_in(unit)
    announcement.save()
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        announcement,
        label=f"{unit.name}: {announcement.title}"[:200],
        detail={"kind": announcement.kind, "publish_at": announcement.publish_at.isoformat()},
    )
    return announcement


@transaction.atomic
def do_edit_announcement(actor, announcement: Announcement, **values) -> Announcement:
    announcement = Announcement.objects.select_for_update().select_related("unit").get(pk=announcement.pk)
    check_authority(actor, announcement.unit)
    if announcement.withdrawn_at is not None:
        raise ValidationError(_("This announcement was withdrawn; write a new one."))
    if announcement.automatic:
        cleaned = _validate_automatic(values)
    else:
        cleaned = _validate(announcement.unit, {name: getattr(announcement, name) for name in FIELDS} | values)
    before = {name: str(getattr(announcement, name)) for name in FIELDS}
    for name, value in cleaned.items():
        setattr(announcement, name, value)
    announcement.updated_by, announcement.updated_at = actor, clock.now()
    announcement.save()
    changed = {
        name: [old, str(getattr(announcement, name))]
        for name, old in before.items()
        if old != str(getattr(announcement, name))
    }
    audit.record(
        actor, audit.AuditAction.UPDATE, announcement, label=str(announcement)[:200], detail={"changed": changed}
    )
    return announcement


def _validate_automatic(values: dict) -> dict:
    """An automatic announcement keeps its kind and dates; the officer may word its title and text."""
    title = (values.get("title") or "").strip()
    body = (values.get("body") or "").strip()
    errors = {}
    if len(title) > 200:
        errors["title"] = _("The title is too long: at most 200 characters.")
    if len(body) > 20_000:
        errors["body"] = _("The text is too long: at most 20,000 characters.")
    if errors:
        raise ValidationError(errors)
    return {"title": title, "body": body}


@transaction.atomic
def do_withdraw_announcement(actor, announcement: Announcement) -> Announcement:
    """Take an announcement off the portal (it stays in the audit trail)."""
    announcement = Announcement.objects.select_for_update().select_related("unit").get(pk=announcement.pk)
    check_authority(actor, announcement.unit)
    if announcement.withdrawn_at is not None:
        raise ValidationError(_("This announcement was already withdrawn."))
    announcement.withdrawn_at, announcement.withdrawn_by = clock.now(), actor
    announcement.save(update_fields=["withdrawn_at", "withdrawn_by"])
    audit.record(
        actor, audit.AuditAction.UPDATE, announcement, label=str(announcement)[:200], detail={"withdrawn": True}
    )
    return announcement


# --- hotlines --------------------------------------------------------------------------------------


@transaction.atomic
def do_add_hotline(actor, unit: AdminUnit, *, label: str, number: str, position: int = 0) -> Hotline:
    check_authority(actor, unit)
    label, number = (label or "").strip(), " ".join((number or "").split())
    errors = {}
    if unit.level not in PUBLIC_LEVELS:
        errors["unit"] = _("Hotlines are published for a commune, a district or a province.")
    if len(label) < 2:
        errors["label"] = _("Say whose number it is, e.g. “Steering committee”.")
    digits = [ch for ch in number if ch.isdigit()]
    if not 3 <= len(digits) <= 15 or any(not (ch.isdigit() or ch in " +.-()") for ch in number):
        errors["number"] = _("Enter a telephone number with 3 to 15 digits, e.g. 1900 9095 or 0271 3879 115.")
    if errors:
        raise ValidationError(errors)
    hotline = Hotline(
        label=label[:120], number=number[:30], position=position, created_by=actor, created_at=clock.now()
    )
    hotline.place_in(unit)
    hotline.save()
    audit.record(actor, audit.AuditAction.CREATE, hotline, label=f"{unit.name}: {hotline}"[:200])
    return hotline


@transaction.atomic
def do_remove_hotline(actor, hotline: Hotline) -> None:
    check_authority(actor, hotline.unit)
    audit.record(actor, audit.AuditAction.DELETE, hotline, label=f"{hotline.unit.name}: {hotline}"[:200])
    hotline.delete()


# --- automatic level-change announcements ----------------------------------------------------------


def _key(code: str, framework: str, level: int, effective_from: datetime) -> str:
    return f"level:{code}:{framework}:{level}:{effective_from.astimezone(UTC).strftime('%Y%m%dT%H%M%S')}"


@transaction.atomic
def do_sync_level_announcements(now: datetime | None = None) -> dict:
    """Make one public announcement for each level change the risk module announced (notice of
    48 hours by default), and mark cancelled those a later assessment reversed before they took
    effect.  Idempotent: run after each assessment (and by the portal, at most once a minute)."""
    now = now or clock.now()
    since = clock.today() - timedelta(days=SYNC_WINDOW_DAYS)
    rows = (
        RiskAssessment.objects.filter(day__gte=since, unit__isnull=False, pending_level__isnull=False)
        .order_by("day")
        .values_list(
            "unit_id",
            "code",
            "pending_framework",
            "pending_level",
            "pending_from",
            "announced_at",
            "in_force_framework",
            "in_force_level",
        )
    )
    changes: dict[str, tuple] = {}
    for unit_id, code, framework, level, start, announced, before_fw, before_level in rows:
        key = _key(code, framework, level, start)
        if key not in changes:  # the first row that announced it
            changes[key] = (unit_id, framework, level, start, announced, before_fw, before_level)
    existing = set(Announcement.objects.filter(source_key__in=list(changes)).values_list("source_key", flat=True))
    units = {u.pk: u for u in AdminUnit.objects.filter(pk__in={c[0] for k, c in changes.items() if k not in existing})}
    new = []
    for key, (unit_id, framework, level, start, announced, before_fw, before_level) in changes.items():
        if key in existing or unit_id not in units:
            continue
        unit = units[unit_id]
        item = Announcement(
            kind=AnnouncementKind.LEVEL_CHANGE,
            source_key=key,
            framework=framework,
            level=level,
            previous_framework=before_fw or "",
            previous_level=before_level,
            effective_from=start,
            publish_at=min(announced, now),
            expires_at=start + SHOWN_AFTER_EFFECT,
            created_at=now,
            updated_at=now,
        )
        item.place_in(unit)
        new.append(item)
    Announcement.objects.bulk_create(new, batch_size=500, ignore_conflicts=True)
    # A change reversed before it took effect: its period was closed where it began.
    cancelled_keys = {
        _key(code, framework, level, start)
        for code, framework, level, start in RiskAssessment.objects.filter(
            day__gte=since,
            unit__isnull=False,
            applied_level__isnull=False,
            effective_from__isnull=False,
            effective_to=F("effective_from"),
        ).values_list("code", "framework", "applied_level", "effective_from")
    }
    # A change still to come that no assessment announces any more (the day was assessed again
    # without it, e.g. after a local decision was withdrawn) is cancelled too.
    vanished = (
        Announcement.objects.filter(source_key__isnull=False, cancelled_at__isnull=True, effective_from__gt=now)
        .exclude(source_key__in=list(changes))
        .values_list("source_key", flat=True)
    )
    cancelled_keys.update(vanished)
    cancelled = 0
    if cancelled_keys:
        cancelled = Announcement.objects.filter(source_key__in=list(cancelled_keys), cancelled_at__isnull=True).update(
            cancelled_at=now, expires_at=now + SHOWN_AFTER_EFFECT
        )
    if new or cancelled:
        audit.record(
            None,
            audit.AuditAction.CREATE,
            None,
            object_type_label="portal.announcement",
            unit_path="",
            label=_("Automatic level-change announcements"),
            detail={"created": len(new), "cancelled": cancelled},
        )
    return {"created": len(new), "cancelled": cancelled}


def announce_level_changes(sender, day, **kwargs) -> None:
    """After each assessment (``risk.signals.day_assessed``, connected in the app's ready())."""
    do_sync_level_announcements()


SYNC_EVERY_SECONDS = 60
log = logging.getLogger(__name__)


def ensure_level_announcements() -> None:
    """Make the automatic level-change announcements, at most once a minute per process cache (the
    public pages call it first)."""
    if not cache.add("portal:level-announcements", 1, SYNC_EVERY_SECONDS):
        return
    try:
        do_sync_level_announcements()
    except Exception:  # the public page must show even if this fails; the next minute retries
        log.exception("automatic level-change announcements failed")
        cache.delete("portal:level-announcements")
