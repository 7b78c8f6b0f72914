"""Bulk quarantine orders: every F1 of a transmission chain or of a cluster, in one step.

Built for outbreaks of thousands of contacts, with no query per person: the F1 and their people are
read in chunks of 5,000, the skips (outside the area, already under an order or in a facility,
already a case) as sets, plans computed in Python (identical inputs once), orders or stays inserted
with their history rows in bulk (``inserts``: COPY on PostgreSQL), tallies applied once (one row per
commune × day) and one audit event with the counts (each record still gets its history row).
The F1's contact records move forward in tracing (isolated; reached for self-monitoring) with one
UPDATE per status; the numbers moved are in the same audit event, each record gets a history row.
Running the same order twice skips everyone the first run ordered, so it is idempotent; a re-sent
form (same ``client_id``) returns the first batch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from chongdich.care import plans
from chongdich.care.actions import inserts
from chongdich.care.actions.common import check_facility_visible, edit_scope, user_or_none
from chongdich.care.actions.stays import capacity_error, room
from chongdich.care.actions.tracing import batch_traced
from chongdich.care.models import (
    BatchKind,
    BedType,
    Facility,
    HomeOrder,
    OrderBatch,
    OrderKind,
    OrderStatus,
    Stay,
    StayPurpose,
)
from chongdich.care.rules import Place
from chongdich.care.selectors import orders_for, stays_for
from chongdich.core import audit, clock, dates
from chongdich.core.recorded import replay
from chongdich.core.roles import Cap
from chongdich.people.models import Person
from chongdich.surveillance.models import Case, Chain, Cluster, Contact, Outcome
from chongdich.surveillance.selectors import chain_visible
from chongdich.tallies import engine

CHUNK = 5000


@dataclass(frozen=True)
class Candidate:
    person_id: int
    unit_id: int
    unit_path: str
    province_code: str
    commune_code: str
    contact_id: int
    last_exposure: date
    plan: object  # care.rules.QuarantinePlan
    ends_monitoring: bool = False  # under self-monitoring now: it ends when the quarantine starts


@dataclass
class Selection:
    """Who a bulk order would reach, and why the others are skipped."""

    f1: int = 0  # distinct people who are F1 of the chain or cluster
    outside: int = 0  # living outside the user's area
    active: int = 0  # already under an active home order or in a facility
    cases: int = 0  # already active cases
    facility_prescribed: int = 0  # home mode: the rule sends them to a facility and no reason was given
    candidates: list[Candidate] = field(default_factory=list)
    rules: Counter = field(default_factory=Counter)  # rule version → people

    @property
    def to_order(self) -> int:
        return len(self.candidates)

    def counts(self) -> dict[str, int]:
        return {
            "f1": self.f1,
            "ordered": self.to_order,
            "outside": self.outside,
            "active": self.active,
            "cases": self.cases,
            "facility_prescribed": self.facility_prescribed,
        }


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def f1_contacts(*, chain: Chain | None = None, cluster: Cluster | None = None):
    """F1 contact rows of every case of a chain (its root and the chains merged into it) or of a cluster."""
    contacts = Contact.objects.filter(rank=1)
    if chain is not None:
        root = chain.parent_id or chain.pk
        return contacts.filter(Q(index_case__chain_id=root) | Q(index_case__chain__parent_id=root))
    if cluster is not None:
        return contacts.filter(index_case__cluster=cluster)
    raise ValueError("a chain or a cluster is needed")


def _latest_exposure_per_person(contacts) -> dict[int, tuple[int, date]]:
    """person → (contact id, last exposure) of their most recent exposure to a case of the selection."""
    latest: dict[int, tuple[int, date]] = {}
    for contact_id, person_id, last in contacts.values_list("pk", "person_id", "last_exposure").iterator(
        chunk_size=CHUNK
    ):
        if person_id not in latest or last > latest[person_id][1]:
            latest[person_id] = (contact_id, last)
    return latest


def _ids_in(queryset, ids: list[int], field_name: str = "person_id") -> set[int]:
    found: set[int] = set()
    for part in chunks(ids):
        found.update(queryset.filter(**{f"{field_name}__in": part}).values_list(field_name, flat=True))
    return found


def _recovered_on(ids: list[int]) -> dict[int, date]:
    result: dict[int, date] = {}
    for part in chunks(ids):
        rows = Case.objects.filter(person_id__in=part, outcome=Outcome.RECOVERED, outcome_on__isnull=False)
        for person_id, day in rows.values_list("person_id", "outcome_on"):
            result[person_id] = max(day, result.get(person_id, day))
    return result


def select(
    actor, *, chain: Chain | None = None, cluster: Cluster | None = None, home: bool = True, override: bool = False
) -> Selection:
    """The F1 of ``chain`` or ``cluster`` that a bulk order by ``actor`` would reach, with their plans."""
    check_source_visible(actor, chain=chain, cluster=cluster)
    selection = Selection()
    latest = _latest_exposure_per_person(f1_contacts(chain=chain, cluster=cluster))
    ids = sorted(latest)
    people: dict[int, tuple] = {}
    for part in chunks(ids):
        rows = Person.objects.filter(pk__in=part, merged_into__isnull=True).values_list(
            "pk", "unit_id", "unit_path", "province_code", "commune_code"
        )
        people.update({row[0]: row for row in rows})
    selection.f1 = len(people)
    scope = edit_scope(actor)
    inside = [pk for pk, row in people.items() if scope.contains(row[2])]
    selection.outside = len(people) - len(inside)
    cases = _ids_in(Case.objects.filter(outcome=Outcome.ACTIVE), inside)
    active_orders = HomeOrder.objects.filter(status=OrderStatus.ACTIVE)
    busy = _ids_in(active_orders.exclude(kind=OrderKind.SELF_MONITORING), inside)
    busy |= _ids_in(Stay.objects.filter(discharged_on__isnull=True), inside)
    # Self-monitoring gives way to quarantine (as for one person); it only blocks another self-monitoring.
    monitoring = _ids_in(active_orders.filter(kind=OrderKind.SELF_MONITORING), inside)
    recovered = _recovered_on(inside)
    book = plans.PlanBook()
    for pk in inside:
        if pk in cases:
            selection.cases += 1
            continue
        if pk in busy:
            selection.active += 1
            continue
        _pk, unit_id, path, province, commune = people[pk]
        contact_id, last = latest[pk]
        plan = book.plan(last, province=province, recovered_on=recovered.get(pk))
        if home and plans.prescribes_facility(plan) and not override:
            selection.facility_prescribed += 1
            continue
        if pk in monitoring and home and plan.place is Place.NONE:
            selection.active += 1
            continue
        selection.rules[plan.rule_version] += 1
        selection.candidates.append(
            Candidate(pk, unit_id, path, province, commune, contact_id, last, plan, pk in monitoring)
        )
    return selection


@dataclass
class BulkResult:
    batch: OrderBatch
    created: bool

    @property
    def counts(self) -> dict[str, int]:
        return self.batch.counts


def _not_allowed() -> str:
    return _("You may not order quarantine.")


def _check_actor(actor) -> None:
    if edit_scope(actor).empty:
        raise PermissionDenied(_not_allowed())


def check_source_visible(actor, *, chain: Chain | None, cluster: Cluster | None) -> None:
    """A chain or cluster the actor cannot see answers like one that does not exist (no counts, no batch)."""
    if chain is not None and not chain_visible(actor, chain):
        raise ValidationError({"chain": _("There is no chain #%(n)s.") % {"n": chain.pk}})
    if cluster is not None and not Cluster.objects.for_user(actor, Cap.CASES_VIEW).filter(pk=cluster.pk).exists():
        raise ValidationError({"cluster": _("There is no such cluster.")})


def _replayed(actor, client_id: str | None) -> BulkResult | None:
    # A batch belongs to no single area: only the officer who ordered it gets it back.
    existing = replay(actor, OrderBatch, client_id, capability=Cap.CARE_EDIT, refusal=_not_allowed(), path=None)
    return BulkResult(existing, False) if existing is not None else None


def _new_batch(
    actor, kind: str, *, chain, cluster, facility, on: date, override_reason: str, client_id: str | None
) -> OrderBatch:
    batch = OrderBatch(
        kind=kind, chain=chain, cluster=cluster, facility=facility, on=on, override_reason=override_reason[:300]
    ).stamp(actor, client_id)
    batch.save()
    return batch


def _placed(record, c: Candidate):
    record.unit_id, record.unit_path, record.province_code, record.commune_code = (
        c.unit_id,
        c.unit_path,
        c.province_code,
        c.commune_code,
    )
    return record


def _end_self_monitoring(actor, batch: OrderBatch, starts: dict[int, date], why: str) -> int:
    """Convert the active self-monitoring orders of people now ordered into quarantine, in bulk."""
    if not starts:
        return 0
    orders = []
    for part in chunks(sorted(starts)):
        orders += HomeOrder.objects.filter(
            person_id__in=part, kind=OrderKind.SELF_MONITORING, status=OrderStatus.ACTIVE
        )
    before = engine.contributions_of(orders)
    for order in orders:
        order.status, order.ended_on, order.end_note = (
            OrderStatus.CONVERTED,
            max(starts[order.person_id], order.start),
            why,
        )
    HomeOrder.objects.bulk_update(orders, ["status", "ended_on", "end_note"], batch_size=1000)
    inserts.history(HomeOrder, orders, user=user_or_none(actor), reason=f"bulk order #{batch.pk}", kind="~")
    engine.apply(engine.difference(before, engine.contributions_of(orders)))
    return len(orders)


def _insert(model, records: list, actor, batch: OrderBatch) -> list:
    """Records and their history rows in bulk (``inserts``: COPY on PostgreSQL), then the tallies once."""
    try:
        with transaction.atomic():
            created = inserts.insert(model, records)
            inserts.history(model, created, user=user_or_none(actor), reason=f"bulk order #{batch.pk}")
    except IntegrityError as exc:  # someone ordered one of these people meanwhile
        raise ValidationError(
            _("Some of these people were just ordered by someone else; preview again and confirm.")
        ) from exc
    engine.apply(engine.contributions_of(created))
    return created


@transaction.atomic
def do_bulk_home_quarantine(
    actor,
    *,
    chain: Chain | None = None,
    cluster: Cluster | None = None,
    override_reason: str = "",
    client_id: str | None = None,
) -> BulkResult:
    """Order home quarantine (R-52 plan each) for every F1 of ``chain`` or ``cluster`` in the actor's area.

    Skipped: people outside the area, already under an active order or in a facility, already cases, and
    — without ``override_reason`` — those the rule in force sends to concentrated quarantine.
    """
    replayed = _replayed(actor, client_id)
    if replayed is not None:
        return replayed
    _check_actor(actor)
    check_source_visible(actor, chain=chain, cluster=cluster)
    override_reason = (override_reason or "").strip()
    selection = select(actor, chain=chain, cluster=cluster, home=True, override=bool(override_reason))
    today = clock.today()
    batch = _new_batch(
        actor,
        BatchKind.HOME_QUARANTINE,
        chain=chain,
        cluster=cluster,
        facility=None,
        on=today,
        override_reason=override_reason,
        client_id=client_id,
    )
    user = user_or_none(actor)
    orders = []
    ending = {c.person_id: c.plan.start for c in selection.candidates if c.ends_monitoring}
    _end_self_monitoring(actor, batch, ending, _("Replaced by home quarantine"))
    for c in selection.candidates:
        fields = plans.order_fields(c.plan)
        override = override_reason if plans.prescribes_facility(c.plan) else ""
        orders.append(
            _placed(
                HomeOrder(
                    person_id=c.person_id,
                    contact_id=c.contact_id,
                    batch=batch,
                    created_by=user,
                    override_reason=override,
                    inputs={"last_exposure": c.last_exposure.isoformat()},
                    **fields,
                ),
                c,
            )
        )
    _insert(HomeOrder, orders, actor, batch)
    contacts = batch_traced(
        actor, HomeOrder.objects.filter(batch=batch), {o.kind for o in orders}, f"bulk order #{batch.pk}"
    )
    batch.counts = selection.counts()
    batch.save(update_fields=["counts"])
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        batch,
        label=str(batch),
        detail={
            **batch.counts,
            "chain": chain.pk if chain else None,
            "cluster": cluster.pk if cluster else None,
            "rules": dict(selection.rules),
            "override": override_reason,
            "contacts": contacts,
        },
    )
    return BulkResult(batch, True)


@transaction.atomic
def do_bulk_facility_quarantine(
    actor,
    *,
    facility: Facility,
    chain: Chain | None = None,
    cluster: Cluster | None = None,
    on: date | None = None,
    overflow: bool = False,
    client_id: str | None = None,
) -> BulkResult:
    """Admit every F1 of ``chain`` or ``cluster`` in the actor's area to ``facility`` (quarantine places).

    Refused as a whole when there are not enough free places, unless ``overflow`` is ticked.
    """
    replayed = _replayed(actor, client_id)
    if replayed is not None:
        return replayed
    _check_actor(actor)
    check_source_visible(actor, chain=chain, cluster=cluster)
    check_facility_visible(actor, facility)
    on = on or clock.today()
    dates.check("stay.admitted_on", on, field="on")
    if facility.closed_on and on >= facility.closed_on:
        raise ValidationError(_("%(facility)s is closed.") % {"facility": facility.name})
    Facility.objects.select_for_update().filter(pk=facility.pk).first()
    selection = select(actor, chain=chain, cluster=cluster, home=False)
    space = room(facility, BedType.QUARANTINE, on)
    if not overflow and space.occupied + selection.to_order > space.capacity:
        raise capacity_error(facility, BedType.QUARANTINE, space, wanted=selection.to_order)
    batch = _new_batch(
        actor,
        BatchKind.FACILITY_QUARANTINE,
        chain=chain,
        cluster=cluster,
        facility=facility,
        on=on,
        override_reason="",
        client_id=client_id,
    )
    user = user_or_none(actor)
    stays = []
    ending = {c.person_id: on for c in selection.candidates if c.ends_monitoring}
    _end_self_monitoring(actor, batch, ending, _("Admitted to %(facility)s") % {"facility": facility.name})
    for c in selection.candidates:
        fields = plans.stay_fields(c.plan)
        stays.append(
            _placed(
                Stay(
                    person_id=c.person_id,
                    contact_id=c.contact_id,
                    facility=facility,
                    bed_type=BedType.QUARANTINE,
                    purpose=StayPurpose.QUARANTINE_F1,
                    admitted_on=on,
                    planned_end=max(fields["planned_end"], on),
                    test_days=[d for d in fields["test_days"] if d >= on.isoformat()],
                    rule_version=fields["rule_version"],
                    reasons=fields["reasons"],
                    overflow=overflow and space.occupied + selection.to_order > space.capacity,
                    inputs={"last_exposure": c.last_exposure.isoformat(), **fields["plan_extra"]},
                    batch=batch,
                    created_by=user,
                ),
                c,
            )
        )
    _insert(Stay, stays, actor, batch)
    contacts = batch_traced(actor, Stay.objects.filter(batch=batch), None, f"bulk order #{batch.pk}") if stays else {}
    batch.counts = selection.counts()
    batch.save(update_fields=["counts"])
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        batch,
        label=str(batch),
        detail={
            **batch.counts,
            "facility": facility.pk,
            "chain": chain.pk if chain else None,
            "cluster": cluster.pk if cluster else None,
            "rules": dict(selection.rules),
            "contacts": contacts,
        },
    )
    return BulkResult(batch, True)


def batch_orders(batch: OrderBatch, user) -> Iterable:
    """The records of a batch the user may see (orders or stays), for the result and print pages."""
    if batch.kind == BatchKind.FACILITY_QUARANTINE:
        return stays_for(user).filter(batch=batch).select_related("person", "person__unit", "facility", "unit")
    return orders_for(user).filter(batch=batch).select_related("person", "person__unit", "unit")
