"""Sites, lots and stock movements: the only writers of the vaccination stock.

A site's stock of a lot is counted in doses: received + transferred in − transferred out − discarded
± adjusted − doses given (the valid ``Dose`` rows of that lot at that site; giving a dose is not a
movement).  No movement may leave a balance below zero, on its own day or on any later day: the
refusal says how many doses were on hand.  A transfer writes both ends in one transaction (out at
the source, in at the destination, each pointing at the other through ``transfer``); the actor must
hold ``vaccination.edit`` over both sites.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chongdich.core import audit, dates
from chongdich.core.recorded import replay
from chongdich.core.scoping import has_capability, in_scope
from chongdich.vaccination.models import (
    EDIT,
    MOVEMENT_SIGN,
    Dose,
    Lot,
    MovementKind,
    Site,
    StockMovement,
)
from chongdich.vaccination.selectors.stock import KIND_LABELS, product_catalogue

SITE_FIELDS = ("name", "kind", "address", "phone", "tables", "active")
LOT_FIELDS = ("product", "number", "expires_on", "doses_per_vial", "source")
MAX_DOSES = 1_000_000  # one movement; a province's monthly allocation is far below
WINDOWS = {
    "vaccination.stock_day": dates.Window(gettext_lazy("The date of the movement")),
    "vaccination.aefi_onset": dates.Window(gettext_lazy("The onset of the reaction")),
    # Lots delivered from 2021 carried expiry dates up to two years ahead (extended by the Ministry).
    "vaccination.lot_expiry": dates.Window(gettext_lazy("The expiry date"), future_days=5 * 366),
}


def register_windows() -> None:
    """The date windows of the stock and AEFI forms, added to ``core.dates.WINDOWS`` at start-up."""
    for key, window in WINDOWS.items():
        dates.WINDOWS.setdefault(key, window)


def fmt(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def sites_outside_area() -> str:
    return _("You may only manage vaccination sites in your area.")


def check_site(actor, site: Site) -> None:
    if not in_scope(actor, EDIT, site):
        raise PermissionDenied(sites_outside_area())


def _check_unit(actor, unit) -> None:
    if unit is None or not in_scope(actor, EDIT, unit.path):
        raise PermissionDenied(sites_outside_area())


# -- sites ------------------------------------------------------------------------------------------
def _validate_site(data: dict[str, Any]) -> None:
    if not (data.get("name") or "").strip():
        raise ValidationError({"name": _("Enter the site's name.")})
    tables = data.get("tables")
    if tables is not None and not 1 <= tables <= 200:
        raise ValidationError({"tables": _("A site has between 1 and 200 vaccination tables.")})


@transaction.atomic
def do_create_site(actor, *, unit, data: dict[str, Any], client_id: str | None = None) -> tuple[Site, bool]:
    """A vaccination point in ``unit`` (a district, commune or village the actor may edit)."""
    existing = replay(actor, Site, client_id, capability=EDIT, refusal=sites_outside_area())
    if existing is not None:
        return existing, False
    _check_unit(actor, unit)
    _validate_site(data)
    site = Site(**{k: data[k] for k in SITE_FIELDS if k in data}).stamp(actor, client_id)
    site.name = site.name.strip()
    site.place_in(unit)
    site.save()
    audit.record(actor, audit.AuditAction.CREATE, site)
    return site, True


@transaction.atomic
def do_update_site(actor, site: Site, *, unit=None, data: dict[str, Any]) -> Site:
    check_site(actor, site)
    moving = unit is not None and unit.pk != site.unit_id
    if moving:
        _check_unit(actor, unit)
        if site.movements.exists() or site.doses.exists() or site.sessions.exists():
            raise ValidationError(
                {"unit": _("A site with stock, sessions or doses cannot move to another unit; create a new site.")}
            )
    merged = {k: getattr(site, k) for k in SITE_FIELDS} | data
    _validate_site(merged)
    changed = {}
    for name in SITE_FIELDS:
        if name in data and getattr(site, name) != data[name]:
            changed[name] = [str(getattr(site, name)), str(data[name])]
            setattr(site, name, data[name])
    if moving:
        changed["unit"] = [site.unit.code, unit.code]
        site.place_in(unit)
    if changed:
        site.stamp(actor)
        site.save()
        audit.record(actor, audit.AuditAction.UPDATE, site, detail={"changed": changed})
    return site


# -- lots -------------------------------------------------------------------------------------------
def normalise_lot_number(number: str) -> str:
    """Lot numbers as printed on the vial, without spaces around and in capitals (``abv5300`` = ``ABV5300``)."""
    return " ".join((number or "").split()).upper()


@transaction.atomic
def do_register_lot(actor, *, data: dict[str, Any], client_id: str | None = None) -> tuple[Lot, bool]:
    """Register a manufacturer's lot (reference data: every site of the country may hold it)."""
    refusal = _("You may not register vaccine lots.")
    existing = replay(actor, Lot, client_id, capability=EDIT, refusal=refusal, path=None)  # lots have no area
    if existing is not None:
        return existing, False
    if not has_capability(actor, EDIT):
        raise PermissionDenied(refusal)
    product = data.get("product") or ""
    catalogue = product_catalogue()
    if product not in catalogue:
        raise ValidationError({"product": _("Choose a vaccine of the catalogue.")})
    number = normalise_lot_number(data.get("number") or "")
    if not number:
        raise ValidationError({"number": _("Enter the lot number printed on the vial.")})
    expires_on = data.get("expires_on")
    if expires_on is None:
        raise ValidationError({"expires_on": _("Enter the expiry date printed on the vial.")})
    dates.check("vaccination.lot_expiry", expires_on, "expires_on")
    per_vial = data.get("doses_per_vial")
    if per_vial is None:
        per_vial = catalogue[product].doses_per_vial  # the usual presentation
    if not per_vial or not 1 <= per_vial <= 50:
        raise ValidationError({"doses_per_vial": _("A vial holds between 1 and 50 doses.")})
    same = Lot.objects.filter(product=product, number=number).first()
    if same is not None:
        raise ValidationError(
            {
                "number": _("Lot %(number)s of %(product)s is already registered (expires %(date)s).")
                % {"number": number, "product": catalogue[product].name, "date": fmt(same.expires_on)}
            }
        )
    lot = Lot(
        product=product,
        number=number,
        expires_on=expires_on,
        doses_per_vial=per_vial,
        source=(data.get("source") or "").strip(),
    ).stamp(actor, client_id)
    lot.save()
    audit.record(actor, audit.AuditAction.CREATE, lot, unit_path="")
    return lot, True


# -- balances ---------------------------------------------------------------------------------------
def _daily_changes(site_id: int, lot_id: int) -> dict[date, int]:
    """Signed doses per day of a site's stock of a lot: movements, and the valid doses given."""
    changes: dict[date, int] = defaultdict(int)
    rows = (
        StockMovement.objects.filter(site_id=site_id, lot_id=lot_id)
        .values("day", "kind")
        .annotate(total=Sum("doses"))
        .order_by()
    )
    for row in rows:
        changes[row["day"]] += MOVEMENT_SIGN[MovementKind(row["kind"])] * row["total"]
    given = (
        Dose.objects.valid()
        .filter(site_id=site_id, lot_id=lot_id)
        .values("given_on")
        .annotate(total=Count("pk"))
        .order_by()
    )
    for row in given:
        changes[row["given_on"]] -= row["total"]
    return changes


def lowest_balance_from(site_id: int, lot_id: int, day: date) -> tuple[int, date | None, int]:
    """(balance now, the day from ``day`` on when the balance is lowest, that lowest balance).

    The balance of a day is the running sum of every change up to the end of that day; a change on
    ``day`` affects that day and every later one, so the lowest of them bounds what may leave."""
    changes = _daily_changes(site_id, lot_id)
    running = sum(delta for d, delta in changes.items() if d < day)
    lowest, lowest_day = None, None
    for d in sorted({day} | {d for d in changes if d > day}):
        running += changes.get(d, 0)
        if lowest is None or running < lowest:
            lowest, lowest_day = running, d
    return sum(changes.values()), lowest_day, lowest


def check_leaving(site: Site, lot: Lot, doses: int, day: date, *, field: str = "doses") -> None:
    """Refuse ``doses`` leaving the stock of ``lot`` at ``site`` on ``day`` when that would leave a
    negative balance on that day or any later one; the message says what was on hand."""
    now, lowest_day, lowest = lowest_balance_from(site.pk, lot.pk, day)
    if now - doses < 0:
        raise ValidationError(
            {
                field: _("%(site)s has %(on_hand)s doses of lot %(lot)s on hand; %(doses)s cannot leave the stock.")
                % {"site": site.name, "on_hand": max(now, 0), "lot": lot.number, "doses": doses}
            }
        )
    if lowest - doses < 0:
        raise ValidationError(
            {
                field: _(
                    "On %(day)s %(site)s had only %(on_hand)s doses of lot %(lot)s on hand (%(now)s now): "
                    "check the date of this movement, or record the receipt before it first."
                )
                % {
                    "day": fmt(lowest_day),
                    "site": site.name,
                    "on_hand": max(lowest, 0),
                    "lot": lot.number,
                    "now": now,
                }
            }
        )


# -- movements --------------------------------------------------------------------------------------
def _replay_movement(actor, client_id):
    return replay(actor, StockMovement, client_id, capability=EDIT, refusal=sites_outside_area())


def _check_common(site: Site, lot: Lot, doses: int, day: date) -> None:
    if lot is None:
        raise ValidationError({"lot": _("Choose a lot.")})
    if day is None:
        raise ValidationError({"day": _("Enter the date of the movement.")})
    dates.check("vaccination.stock_day", day, "day")
    if not isinstance(doses, int) or not 0 < doses <= MAX_DOSES:
        raise ValidationError({"doses": _("Enter a number of doses between 1 and 1,000,000.")})


def _check_usable(lot: Lot, day: date) -> None:
    if lot.expires_on < day:
        raise ValidationError(
            {
                "lot": _("Lot %(lot)s expired on %(date)s: it can only be discarded.")
                % {"lot": lot.number, "date": fmt(lot.expires_on)}
            }
        )


def _lock(*sites: Site) -> None:
    """One movement of a site's stock at a time (both ends of a transfer, in a fixed order)."""
    for pk in sorted({site.pk for site in sites}):
        Site.objects.select_for_update().filter(pk=pk).first()


def _movement(actor, site, lot, kind, doses, day, note="", client_id=None, **extra) -> StockMovement:
    movement = StockMovement(
        site=site, lot=lot, kind=kind, doses=doses, day=day, note=(note or "").strip()[:200], **extra
    ).stamp(actor, client_id)
    movement.place_in(site.unit)
    movement.save()
    return movement


def _audit(actor, movement: StockMovement, **detail) -> None:
    audit.record(
        actor,
        audit.AuditAction.CREATE,
        movement,
        label=f"{KIND_LABELS[MovementKind(movement.kind)]} {movement.lot} {movement.site}"[:200],
        detail={
            "site": movement.site_id,
            "lot": movement.lot_id,
            "kind": movement.kind,
            "doses": movement.doses,
            "day": movement.day.isoformat(),
            **detail,
        },
    )


@transaction.atomic
def do_receive(
    actor, site: Site, *, lot: Lot, doses: int, day: date, note: str = "", client_id: str | None = None
) -> tuple[StockMovement, bool]:
    """Doses of a lot delivered to a site (from the province or district store, or a donor)."""
    existing = _replay_movement(actor, client_id)
    if existing is not None:
        return existing, False
    check_site(actor, site)
    if not site.active:
        raise ValidationError(_("%(site)s is closed.") % {"site": site.name})
    _check_common(site, lot, doses, day)
    _check_usable(lot, day)
    _lock(site)
    movement = _movement(actor, site, lot, MovementKind.RECEIVED, doses, day, note, client_id)
    _audit(actor, movement)
    return movement, True


@transaction.atomic
def do_transfer(
    actor,
    site: Site,
    *,
    destination: Site,
    lot: Lot,
    doses: int,
    day: date,
    note: str = "",
    client_id: str | None = None,
) -> tuple[tuple[StockMovement, StockMovement], bool]:
    """Doses moved from ``site`` to ``destination``: the two ends written together, each naming the
    other.  The actor holds ``vaccination.edit`` over both sites (a district moving doses between its
    communes; a commune cannot push doses into another commune's fridge)."""
    existing = _replay_movement(actor, client_id)
    if existing is not None:
        return (existing, existing.transfer), False
    check_site(actor, site)
    if destination is None:
        raise ValidationError({"destination": _("Choose the site that receives the doses.")})
    if not in_scope(actor, EDIT, destination):
        raise PermissionDenied(sites_outside_area())
    if destination.pk == site.pk:
        raise ValidationError({"destination": _("Choose another site: a transfer moves doses between two sites.")})
    if not destination.active:
        raise ValidationError({"destination": _("%(site)s is closed.") % {"site": destination.name}})
    _check_common(site, lot, doses, day)
    _check_usable(lot, day)
    _lock(site, destination)
    check_leaving(site, lot, doses, day)
    out = _movement(actor, site, lot, MovementKind.TRANSFER_OUT, doses, day, note, client_id, counterpart=destination)
    into = _movement(actor, destination, lot, MovementKind.TRANSFER_IN, doses, day, note, None, counterpart=site)
    out.transfer = into
    out.save(update_fields=["transfer"])
    into.transfer = out
    into.save(update_fields=["transfer"])
    _audit(actor, out, to_site=destination.pk)
    _audit(actor, into, from_site=site.pk)
    return (out, into), True


@transaction.atomic
def do_discard(
    actor,
    site: Site,
    *,
    lot: Lot,
    doses: int,
    day: date,
    opened: bool,
    note: str = "",
    client_id: str | None = None,
) -> tuple[StockMovement, bool]:
    """Doses thrown away: a closed vial (expired, broken, cold chain lost) or the rest of an opened one."""
    existing = _replay_movement(actor, client_id)
    if existing is not None:
        return existing, False
    check_site(actor, site)
    _check_common(site, lot, doses, day)
    if opened and doses > lot.doses_per_vial:
        raise ValidationError(
            {
                "doses": _(
                    "An opened vial of lot %(lot)s holds %(per_vial)s doses: record each opened vial, or "
                    "closed vials as closed."
                )
                % {"lot": lot.number, "per_vial": lot.doses_per_vial}
            }
        )
    _lock(site)
    check_leaving(site, lot, doses, day)
    kind = MovementKind.DISCARDED_OPENED if opened else MovementKind.DISCARDED_CLOSED
    movement = _movement(actor, site, lot, kind, doses, day, note, client_id)
    _audit(actor, movement)
    return movement, True


@transaction.atomic
def do_adjust(
    actor, site: Site, *, lot: Lot, doses: int, day: date, reason: str, client_id: str | None = None
) -> tuple[StockMovement, bool]:
    """A count corrected after a stock check: ``doses`` signed (found +, missing −), with the reason."""
    existing = _replay_movement(actor, client_id)
    if existing is not None:
        return existing, False
    check_site(actor, site)
    if not isinstance(doses, int) or doses == 0 or abs(doses) > MAX_DOSES:
        raise ValidationError(
            {"doses": _("Enter the doses found (for example 5) or missing (for example -5) at the count.")}
        )
    _check_common(site, lot, abs(doses), day)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the count changed (for example: stock check of 12/10/2021).")})
    _lock(site)
    if doses < 0:
        check_leaving(site, lot, -doses, day)
    movement = _movement(actor, site, lot, MovementKind.ADJUSTED, doses, day, reason, client_id)
    _audit(actor, movement, reason=movement.note)
    return movement, True
