"""The grouped daily queries of the event tables for the tallies' rebuild and check
(``tallies.registry.register(model, grouped_daily=…)``): one row per commune code × unit × day with
the sums of the ``DailyTally`` fields the rows' ``tally_contributions`` give — read from the stored
snapshot fields, never by re-running the rules."""

from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Sum, Value, When

from chongdich.movement.models import CheckIn, Declaration, Direction, Passage

KEY = ("commune_code", "unit_id", "day")


def _count_if(condition: Q) -> Sum:
    return Sum(Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField()))


def grouped_passages() -> QuerySet:
    return (
        Passage.objects.order_by()
        .values(*KEY)
        .annotate(
            passages=Count("id"),
            arrivals_watched=_count_if(Q(direction=Direction.IN, from_watched_area=True)),
        )
    )


def grouped_checkins() -> QuerySet:
    return CheckIn.objects.order_by().values(*KEY).annotate(checkins=Count("id"))


def grouped_declarations() -> QuerySet:
    return (
        Declaration.objects.order_by()
        .values(*KEY)
        .annotate(
            declarations=Count("id"),
            declarations_symptomatic=_count_if(Q(symptomatic=True)),
            arrivals_watched=_count_if(Q(from_watched_area=True)),
        )
    )
