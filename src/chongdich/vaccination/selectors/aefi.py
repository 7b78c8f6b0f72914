"""Reads of AEFI reports: the list, a report's page, the dose a new report starts from, and the
district's inbox of serious reports not yet acknowledged."""

from __future__ import annotations

from chongdich.core.access import get_for_user_or_404
from chongdich.core.scoping import in_scope
from chongdich.vaccination.models import EDIT, VIEW, AefiReport, Dose, Severity

INBOX_LIMIT = 500  # serious reactions are rare; the inbox never needs more


def district_path(unit_path: str) -> str:
    """The path of the district (or the province, for a record placed there) holding ``unit_path``:
    ``/70/691/25228/25228-01/`` → ``/70/691/``."""
    parts = [part for part in unit_path.split("/") if part]
    return "/" + "".join(f"{part}/" for part in parts[:2])


def reports_for(user, capability: str = VIEW):
    return (
        AefiReport.objects.for_user(user, capability)
        .select_related("person", "dose", "dose__site", "unit")
        .order_by("-onset_at", "-pk")
    )


def report_page(user, pk, capability: str = VIEW) -> AefiReport:
    return get_for_user_or_404(
        AefiReport.objects.select_related("person", "dose", "dose__site", "dose__lot", "unit"),
        user,
        capability,
        pk=pk,
    )


def dose_for_report(user, pk) -> Dose:
    """The dose a new report starts from: one the user may report on (404 otherwise)."""
    return get_for_user_or_404(Dose.objects.select_related("person", "site", "lot"), user, EDIT, pk=pk)


def inbox(user) -> list[AefiReport]:
    """Serious reports not yet acknowledged, in the districts the user watches (``vaccination.view``
    over the whole district: a commune's officers report, the district receives)."""
    waiting = reports_for(user).filter(severity=Severity.SERIOUS, alerted_at__isnull=True)[:INBOX_LIMIT]
    return [report for report in waiting if in_scope(user, VIEW, district_path(report.unit_path))]


def inbox_count(user) -> int:
    return len(inbox(user))


def may_acknowledge(user, report: AefiReport) -> bool:
    return (
        report.severity == Severity.SERIOUS
        and report.alerted_at is None
        and in_scope(user, EDIT, district_path(report.unit_path))
    )


def reports_of_dose(user, dose: Dose) -> list[AefiReport]:
    return list(reports_for(user).filter(dose=dose))


def may_edit(user, report: AefiReport) -> bool:
    return in_scope(user, EDIT, report)
