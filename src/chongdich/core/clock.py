"""The system's "today".

Normally the local date in Asia/Ho_Chi_Minh.  A deployment used for training, drills or the demo
can pin it (``CHONGDICH_TODAY=2021-12-10``): the demo district then shows its autumn 2021 wave and
vaccination campaign under QĐ 4800, with the rules that were in force then, instead of an empty 2026.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone


def _pinned() -> date | datetime | None:
    """The pinned day, or the pinned moment when a time is given (``2021-08-20T14:00``: tests and
    drills that must not depend on the hour at which they run)."""
    pinned = getattr(settings, "CHONGDICH_TODAY", "")
    if not pinned:
        return None
    if isinstance(pinned, (date, datetime)):
        return pinned
    if "T" in pinned:
        moment = datetime.fromisoformat(pinned)
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    return date.fromisoformat(pinned)


def today() -> date:
    pinned = _pinned()
    if pinned is None:
        return timezone.localdate()
    return timezone.localtime(pinned).date() if isinstance(pinned, datetime) else pinned


def now() -> datetime:
    """Now, moved to the pinned day when the clock is pinned (time of day kept unless pinned too)."""
    pinned = _pinned()
    if pinned is None:
        return timezone.now()
    if isinstance(pinned, datetime):
        return pinned
    local = timezone.localtime(timezone.now())
    return timezone.make_aware(datetime.combine(pinned, local.time()))


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
