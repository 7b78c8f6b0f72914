"""Reading reports: the units a user may report on or read, a unit's report for a day, and the
state of its sub-units' reports."""

from __future__ import annotations

from datetime import date

from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.reports.indicators import REPORTED_LEVELS, children_of, cut_off_of
from chongdich.reports.models import DailyReport, ReportSetting
from chongdich.territory.models import AdminUnit, Level


def reported_units():
    """Provinces, districts and communes (the units that report), with their parent: views fetch one
    by code with ``get_in_scope_or_404`` and check the user's scope with ``require_in_scope``."""
    return AdminUnit.objects.select_related("parent").filter(level__in=REPORTED_LEVELS)


def provinces():
    return AdminUnit.objects.filter(level=Level.PROVINCE)


def cut_off_setting(province: AdminUnit) -> ReportSetting | None:
    return ReportSetting.objects.filter(province=province).first()


cut_off_for = cut_off_of  # the province's cut-off hour (18:00 unless the province set another)


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
