"""Reads of the reconciliation work list (the national platform's records), scoped first."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from chongdich.core.scoping import for_user
from chongdich.people.models import Person
from chongdich.territory.models import AdminUnit, Level
from chongdich.vaccination.models import EDIT, VIEW, Mismatch, PlatformRecord


def records_for(user) -> QuerySet[PlatformRecord]:
    """The work list's records of the user's area (newest import first)."""
    return PlatformRecord.objects.for_user(user, VIEW).select_related("unit").order_by("-created_at", "-pk")


def problem_counts(records: QuerySet[PlatformRecord]) -> list[tuple[str, str, int]]:
    """(problem, label, count) of ``records`` (the list as filtered, without its problem filter): each figure
    is the number of rows the list shows when that problem is chosen."""
    counts = dict(records.order_by().values_list("problem").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in Mismatch.choices]


def visible_candidates(user, record: PlatformRecord) -> tuple[list[Person], int]:
    """The record's candidate people the user may see, and how many others (in another area) it has."""
    everyone = record.candidates.all()
    shown = list(for_user(everyone, user, "people.view").order_by("full_name", "pk"))
    return shown, everyone.count() - len(shown)


def can_edit_record(user, record: PlatformRecord) -> bool:
    return PlatformRecord.objects.for_user(user, EDIT).filter(pk=record.pk).exists()


def units_for_new_person(user, record: PlatformRecord) -> QuerySet[AdminUnit]:
    """Villages and communes of the record's unit where the user may register people and record doses."""
    units = AdminUnit.objects.within(record.unit_path).filter(level__in=[Level.COMMUNE, Level.VILLAGE])
    return for_user(for_user(units, user, "people.edit", path_field="path"), user, EDIT, path_field="path").order_by(
        "path"
    )


def people_named(records) -> list[int]:
    """The registered people a page of records names (their candidates: a record's CCCD may be theirs)."""
    through = PlatformRecord.candidates.through
    ids = [r.pk for r in records]
    return sorted(set(through.objects.filter(platformrecord_id__in=ids).values_list("person_id", flat=True)))
