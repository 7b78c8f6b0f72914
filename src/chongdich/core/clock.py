"""The system's "today".

Normally the local date in Asia/Ho_Chi_Minh.  A deployment used for training, drills or the demo
can pin it (``CHONGDICH_TODAY=2021-08-20``): the demo district then shows a live outbreak of
August 2021, with the rules that were in force then, instead of an empty 2026.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.conf import settings
from django.utils import timezone


def today() -> date:
    pinned = getattr(settings, "CHONGDICH_TODAY", "")
    if pinned:
        return date.fromisoformat(pinned) if isinstance(pinned, str) else pinned
    return timezone.localdate()


def now() -> datetime:
    """Now, moved to the pinned day when the clock is pinned (time of day kept)."""
    current = timezone.now()
    pinned = getattr(settings, "CHONGDICH_TODAY", "")
    if not pinned:
        return current
    local = timezone.localtime(current)
    return timezone.make_aware(datetime.combine(today(), local.time()))


def start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))
