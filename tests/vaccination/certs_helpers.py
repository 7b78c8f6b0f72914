"""Records the certificates tests need, written directly (the table's actions record doses for real)."""

from __future__ import annotations

from datetime import date

from chongdich.vaccination.models import Dose, DoseKind, Lot

_lots: dict[tuple[str, str], Lot] = {}


def lot(product: str, number: str) -> Lot:
    found, _created = Lot.objects.get_or_create(
        product=product, number=number, defaults={"expires_on": date(2022, 12, 31)}
    )
    return found


def give(person, product: str, day: date, *, number: int | None = None, lot_number: str = "", kind=DoseKind.PRIMARY):
    """A valid dose of ``person`` (scoped by the person's unit, like the table records it)."""
    number = number or Dose.objects.filter(person=person, kind=kind).count() + 1
    dose = Dose(
        person=person,
        product=product,
        given_on=day,
        kind=kind,
        number=number,
        lot=lot(product, lot_number) if lot_number else None,
    )
    dose.place_in(person.unit)
    dose.save()
    return dose
