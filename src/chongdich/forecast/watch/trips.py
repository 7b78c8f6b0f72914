"""Green-lane trips overdue: a trip under way not confirmed by its expected arrival plus the province's
grace (``movement.selectors.greenlane.overdue_trips``, the rule movement's own overdue check uses).

To the destination commune (the trip's unit), whose officers or a checkpoint confirm the arrival.
Key: ``trip-overdue:<trip id>`` — once per trip.  Trips expected more than ``LOOKBACK`` ago are left to
the lists (the first run after a deployment does not flood anyone with old trips).  No plate, driver or
phone in the notice (the notifications list is not an audited page): the link opens the trip.  One query for the
trips, one for the keys already sent.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from chongdich.forecast.watch import kinds
from chongdich.forecast.watch.base import Candidate, moment_text
from chongdich.movement.models import Trip
from chongdich.movement.selectors.greenlane import overdue_trips

LOOKBACK = timedelta(days=14)


def candidates(now: datetime) -> list[Candidate]:
    trips = overdue_trips(Trip.objects.filter(expected_at__gte=now - LOOKBACK).select_related("unit"), now)
    return [
        Candidate(
            kinds.TRIP_OVERDUE.code,
            trip.unit,
            f"trip-overdue:{trip.pk}",
            {"unit": trip.unit.name, "expected": moment_text(trip.expected_at)},
            link=trip.get_absolute_url(),
        )
        for trip in trips.order_by("expected_at", "pk")
    ]
