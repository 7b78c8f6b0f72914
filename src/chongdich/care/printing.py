"""Printable decisions (“QUYẾT ĐỊNH về việc cách ly y tế…”) for one order, one stay or a whole bulk order.

Plain HTML with print CSS, no JavaScript: the page prints one decision per sheet in the Vietnamese
administrative layout (national motto, issuing committee, number and date, articles, signature block).
The document is always in Vietnamese, whatever the interface language: it is served to the person.
Printing personal data is audited like an export (once per page, with the number of decisions).
The basis cites the legal documents and the rule in plain words (``basis``), never internal rule codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chongdich.care import basis
from chongdich.care.addresses import address_line
from chongdich.care.models import HomeOrder, OrderKind, Stay, StayPurpose
from chongdich.care.selectors import batch_page, printable_order, stay_page
from chongdich.core import audit, clock
from chongdich.core.access import capability_required
from chongdich.core.roles import Cap
from chongdich.territory.models import AdminUnit, Level

TITLES = {  # document kind → which decision (the template words each one)
    OrderKind.HOME_QUARANTINE: "home_quarantine",
    OrderKind.HOME_CARE: "home_care",
    OrderKind.SELF_MONITORING: "self_monitoring",
}


@dataclass
class Decision:
    kind: str  # home_quarantine | facility_quarantine | home_care | self_monitoring
    number: str
    issued_on: date
    issuer: AdminUnit | None  # the committee that decides (commune of the person, or of the facility)
    place: str  # the place name in the date line
    person: object
    address: str
    start: date
    end: date
    days: int
    test_days: list[date]
    self_monitor_until: date | None
    rule_version: str
    documents: tuple[str, ...] = ()  # the legal documents of the rule applied
    rules: tuple[str, ...] = ()  # that rule in plain words
    facility: object | None = None
    override_reason: str = ""


class Places:
    """Names of units by path, loaded once for a whole page of decisions."""

    def __init__(self, paths):
        codes = {code for path in paths for code in path.strip("/").split("/") if code}
        self.units = {u.code: u for u in AdminUnit.objects.filter(code__in=codes)}

    def chain(self, path: str) -> list[AdminUnit]:
        return [self.units[c] for c in path.strip("/").split("/") if c in self.units]

    def address(self, path: str, street: str = "") -> str:
        return address_line(street, [u.name for u in reversed(self.chain(path))])  # "Thôn 1" typed: said once

    def committee(self, path: str) -> AdminUnit | None:
        """The commune (or the lowest unit above villages) whose committee signs."""
        chain = [u for u in self.chain(path) if u.level != Level.VILLAGE]
        return chain[-1] if chain else None


def _issued(created_at) -> date:
    """The day the decision was made (never after the system's today, which a drill may pin)."""
    return min(timezone.localtime(created_at).date(), clock.today())


def _days(stored) -> list[date]:
    return [date.fromisoformat(d) for d in stored or []]


def decision_of_order(order: HomeOrder, places: Places) -> Decision:
    committee = places.committee(order.unit_path)
    grounds = basis.of_order(order)
    return Decision(
        kind=TITLES[OrderKind(order.kind)],
        number=order.order_number,
        issued_on=_issued(order.created_at),
        issuer=committee,
        place=committee.short_name if committee else "",
        person=order.person,
        address=places.address(order.unit_path, order.person.address),
        start=order.start,
        end=order.end,
        days=(order.end - order.start).days + 1,
        test_days=_days(order.test_days),
        self_monitor_until=order.self_monitor_until if order.kind == OrderKind.HOME_QUARANTINE else None,
        rule_version=order.rule_version,
        documents=grounds.documents,
        rules=grounds.rules,
        override_reason=order.override_reason,
    )


def decision_of_stay(stay: Stay, places: Places) -> Decision:
    committee = places.committee(stay.facility.unit_path)
    end = stay.planned_end or stay.admitted_on
    until = (stay.inputs or {}).get("self_monitor_until")
    grounds = basis.of_stay(stay)
    return Decision(
        kind="facility_quarantine",
        number="",
        issued_on=_issued(stay.created_at),
        issuer=committee,
        place=committee.short_name if committee else "",
        person=stay.person,
        address=places.address(stay.unit_path, stay.person.address),
        start=stay.admitted_on,
        end=end,
        days=(end - stay.admitted_on).days + 1,
        test_days=_days(stay.test_days),
        self_monitor_until=date.fromisoformat(until) if until else None,
        rule_version=stay.rule_version,
        documents=grounds.documents,
        rules=grounds.rules,
        facility=stay.facility,
    )


def decisions(records) -> list[Decision]:
    records = list(records)
    paths = [r.unit_path for r in records] + [r.facility.unit_path for r in records if isinstance(r, Stay)]
    places = Places(paths)
    with translation.override("vi"):  # the decision is always in Vietnamese, like the page around it
        return [decision_of_stay(r, places) if isinstance(r, Stay) else decision_of_order(r, places) for r in records]


def _render(request, records, title: str, audit_target, back_url: str):
    documents = decisions(records)
    audit.record_read(
        request,
        _("Printed decisions"),
        documents,
        obj=audit_target,
        action=audit.AuditAction.EXPORT,
        label=title[:200],
        detail={"printed": len(documents)},
    )
    return render(request, "care/print/decisions.html", {"documents": documents, "title": title, "back_url": back_url})


@capability_required(Cap.CARE_VIEW)
def order_print(request, pk: int):
    order = printable_order(request.user, pk)
    return _render(request, [order], str(order), order, order.get_absolute_url())


@capability_required(Cap.CARE_VIEW)
def stay_print(request, pk: int):
    stay = stay_page(request.user, pk, Cap.CARE_VIEW)
    if stay.purpose == StayPurpose.TREATMENT:
        raise Http404  # treatment is not a quarantine decision
    return _render(request, [stay], str(stay), stay, reverse("care:person", args=[stay.person_id]))


@capability_required(Cap.CARE_VIEW)
def bulk_print(request, pk: int):
    batch, records = batch_page(request.user, pk)
    if isinstance(records[0] if records else None, Stay):
        records = [r for r in records if r.purpose != StayPurpose.TREATMENT]
    return _render(request, records, str(batch), batch, batch.get_absolute_url())
