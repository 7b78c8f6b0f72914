"""A person's address line: what was typed as the address, then the units it does not already name."""

from __future__ import annotations

from collections.abc import Sequence

from chongdich.core.text import fold


def address_line(street: str | None, unit_names: Sequence[str]) -> str:
    """``street`` followed by ``unit_names`` (lowest unit first), comma-separated, each place said once.

    A part of the typed address that is a unit's name gives way to the unit (its proper spelling):
    "Thôn Bù Dinh" typed for someone living in Thôn Bù Dinh gives "Thôn Bù Dinh", not "Thôn Bù Dinh
    Thôn Bù Dinh"; a part that ends with a unit's name ("Số 12 Thôn Bù Dinh") keeps it, and the unit
    is not repeated after it.
    """
    names = [name for name in unit_names if name]
    folded_names = {fold(name) for name in names}
    parts = [p.strip() for p in (street or "").split(",") if p.strip() and fold(p) not in folded_names]
    folded_parts = [fold(p) for p in parts]
    rest = [name for name in names if not any(p.endswith(" " + fold(name)) for p in folded_parts)]
    return ", ".join([*parts, *rest])
