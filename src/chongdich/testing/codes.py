"""Sample codes: the label written on the tube, which the lab quotes back with the result."""

from __future__ import annotations

from datetime import date

from chongdich.testing.models import Sample


def code_prefix(unit, taken_on: date) -> str:
    """“25228-210805-”: commune code and sampling day, so that a code says where and when."""
    return f"{unit.commune_code or unit.code}-{taken_on:%y%m%d}-"


def next_sample_code(unit, taken_on: date) -> str:
    """The next free code of the day in the commune (callers retry on a concurrent insert)."""
    prefix = code_prefix(unit, taken_on)
    last = Sample.objects.filter(code__startswith=prefix).order_by("-code").values_list("code", flat=True).first()
    tail = last[len(prefix) :] if last else ""
    number = int(tail) + 1 if tail.isdigit() else 1
    return f"{prefix}{number:04d}"


def retest_code(pool_code: str, index: int) -> str:
    """Individual re-test of the ``index``-th member (from 1) of a positive pool: “P-0012-3”."""
    return f"{pool_code}-{index}"
