"""Names of catalogue codes on the table's pages (pages show names, the data keeps codes)."""

from __future__ import annotations

from django import template

from chongdich.vaccination.selectors.table import group_name, short_product_name

register = template.Library()


@register.filter
def vaccine(code: str, day=None) -> str:
    """ "AZ" → "AstraZeneca" (the catalogue in force on ``day``, default today)."""
    return short_product_name(code, day) if code else ""


@register.filter
def priority_group(code: str) -> str:
    return group_name(code) if code else ""
