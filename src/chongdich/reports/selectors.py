"""Reading reports: the units a user may report on or read, a unit's report for a day, and the
state of its sub-units' reports."""

from __future__ import annotations

from datetime import date

from django.http import Http404

from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.reports.indicators import REPORTED_LEVELS, children_of
from chongdich.reports.models import DailyReport
from chongdich.territory.models import AdminUnit, Level


def unit_in_scope_or_404(user, code: str) -> AdminUnit:
    """A province, district or commune the user may read (units.view in scope); 404 otherwise."""
    unit = AdminUnit.objects.select_related("parent").filter(code=code, level__in=REPORTED_LEVELS).first()
    if unit is None or not scope_for(user, Cap.UNITS_VIEW).contains(unit.path):
        raise Http404
    return unit


def default_unit(user) -> AdminUnit | None:
    """The unit the reports page opens on: the user's first granted area (none for a village grant:
    reports are made for communes and above)."""
    scope = scope_for(user, Cap.UNITS_VIEW)
    if scope.everything or not scope.paths:
        return None
    unit = AdminUnit.objects.select_related("parent").filter(path=scope.paths[0]).first()
    while unit is not None and unit.level == Level.VILLAGE:
        unit = unit.parent
    return unit if unit is not None and scope.contains(unit.path) else None  # a village's team: no report


def reports_for(user):
    return DailyReport.objects.for_user(user, Cap.UNITS_VIEW).select_related("unit", "sent_by", "updated_by")


def report_of(unit: AdminUnit, day: date) -> DailyReport | None:
    return DailyReport.objects.select_related("sent_by", "updated_by", "created_by").filter(unit=unit, day=day).first()


def children_status(unit: AdminUnit, day: date) -> list[tuple[AdminUnit, DailyReport | None]]:
    """Each sub-unit with its report of ``day`` (or None): who has sent, who has not (two queries)."""
    children = children_of(unit)
    reports = {r.unit_id: r for r in DailyReport.objects.filter(unit__in=children, day=day).select_related("sent_by")}
    return [(child, reports.get(child.pk)) for child in children]
