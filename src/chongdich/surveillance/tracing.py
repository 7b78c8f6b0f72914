"""Tracing helpers shared by the forms, the imports and the tracing actions (``actions.tracing``): the
statuses an officer may set by hand, the order in which a contact's status moves forward by itself, and
the instants of an exposure given by days.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

from chongdich.core import clock
from chongdich.surveillance.models import ContactStatus

MANUAL_STATUSES = (
    ContactStatus.TO_FIND,
    ContactStatus.REACHED,
    ContactStatus.TESTED,
    ContactStatus.ISOLATED,
    ContactStatus.RELEASED,
)
# The order tracing follows; an automatic change only ever moves a record forward along it.  ``became_case``
# is outside it: it closes the record, and nothing automatic reopens or passes it.
PROGRESS = (
    ContactStatus.TO_FIND,
    ContactStatus.REACHED,
    ContactStatus.TESTED,
    ContactStatus.ISOLATED,
    ContactStatus.RELEASED,
)


def exposure_bounds(
    day: date, at: time | None = None, last_day: date | None = None
) -> tuple[datetime, datetime | None]:
    """Start and end instants of an exposure given by days (and perhaps a time).

    Without a time, the start is the beginning of the day and the end the end of the last day or
    now, whichever is earlier, so that an exposure of today is never "in the future".
    """
    start = timezone.make_aware(datetime.combine(day, at or time.min))
    if last_day is None or (last_day == day and at is not None):
        return start, None
    end = min(timezone.make_aware(datetime.combine(last_day, time.max)), clock.now())
    return start, max(end, start)
