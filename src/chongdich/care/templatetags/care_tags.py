"""Template filters of the care pages."""

from __future__ import annotations

from django import template

from chongdich.care.addresses import address_line as _address_line

register = template.Library()


@register.filter
def address_line(person) -> str:
    """The person's address and their unit (village or commune), the unit only when not already typed."""
    unit = getattr(person, "unit", None)
    return _address_line(getattr(person, "address", ""), [unit.name] if unit is not None else [])
