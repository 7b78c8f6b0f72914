"""What feeds tallies, registered by each app in its AppConfig.ready (tallies import none of them).

- ``register``: the models whose records contribute to tallies (``rebuild_tallies`` iterates them).
  A source of vaccination tallies may also give ``grouped``: a values queryset grouped by the tally
  key (``commune_code``, ``unit_id``, ``day``, the ``VACCINATION_KEY`` columns and some of
  ``VACCINATION_FIELDS``), which the rebuild inserts in one ``INSERT … SELECT`` instead of summing
  every record in Python (3,000,000 doses).  Its result must equal the records' contributions
  (tests/tallies/test_vaccination_tallies.py checks it).
- ``register(model, grouped_daily=…)``: a source of *daily* tallies with many records (the movement
  app's passages, check-ins and declarations: hundreds of thousands a day) gives a values queryset
  grouped by ``commune_code``, ``unit_id`` and ``day`` whose other columns are sums named after
  ``DailyTally`` fields; the rebuild and the check read those grouped rows instead of iterating the
  records.  Its result must equal the records' contributions (tests/tallies/test_grouped_daily.py).
- ``register_coverage``: the vaccination parameters the coverage indicators need without importing
  the vaccination app: ``provider(day, province_code) -> CoverageParameters``.
- ``register_settle``: steps that write the changes falling due with time (quarantines past their
  planned end) so that the tallies read for a day count them; readers that need today's figures
  settled (the daily risk assessment) call ``settle()`` first.
- ``register_area_figures``: figures of an area that are not daily counters (facilities open, ready
  within 24 hours): ``provider(unit_path) -> {name: int}``, read with ``area_figures(path)``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from django.db import models

# model → function returning the queryset to iterate when rebuilding (with the prefetches it needs)
SOURCES: dict[type[models.Model], Callable[[], models.QuerySet]] = {}
GROUPED: dict[type[models.Model], Callable[[], models.QuerySet]] = {}
GROUPED_DAILY: dict[type[models.Model], Callable[[], models.QuerySet]] = {}
SETTLE: list[Callable[[], object]] = []
AREA_FIGURES: list[Callable[[str], dict[str, int]]] = []


def register(
    model: type[models.Model],
    queryset: Callable[[], models.QuerySet] | None = None,
    *,
    grouped: Callable[[], models.QuerySet] | None = None,
    grouped_daily: Callable[[], models.QuerySet] | None = None,
) -> None:
    SOURCES[model] = queryset or model._default_manager.all
    if grouped is not None:
        GROUPED[model] = grouped
    if grouped_daily is not None:
        GROUPED_DAILY[model] = grouped_daily


# Retention floors: providers of (DailyTally fields, first day whose source rows are kept).  Before that day
# the rows may have been purged, so a rebuild keeps the stored figures of those fields (movement's event
# tables: declarations and check-ins are deleted after the retention period, their counts stay).
FLOORS: list[Callable[[], tuple[tuple[str, ...], date]]] = []


def register_floor(provider: Callable[[], tuple[tuple[str, ...], date]]) -> None:
    if provider not in FLOORS:
        FLOORS.append(provider)


def register_settle(step: Callable[[], object]) -> None:
    if step not in SETTLE:
        SETTLE.append(step)


def settle() -> None:
    """Run the registered steps in the order the apps registered them."""
    for step in SETTLE:
        step()


def register_area_figures(provider: Callable[[str], dict[str, int]]) -> None:
    if provider not in AREA_FIGURES:
        AREA_FIGURES.append(provider)


def area_figures(unit_path: str) -> dict[str, int]:
    figures: dict[str, int] = {}
    for provider in AREA_FIGURES:
        figures.update(provider(unit_path))
    return figures


@dataclass(frozen=True)
class CoverageParameters:
    """What the coverage indicators read from the vaccination catalogue for a day and province:
    the priority groups' coverage target (per cent) and each product's recommended interval between
    the first and the second dose (days; dropout counts only first doses older than it)."""

    target_pct: Fraction = Fraction(95)
    intervals: Mapping[str, int] = field(default_factory=dict)
    groups: Mapping[str, tuple[str, str]] = field(default_factory=dict)  # code → (name vi, en), in order


COVERAGE: list[Callable[[date, str | None], CoverageParameters]] = []


def register_coverage(provider: Callable[[date, str | None], CoverageParameters]) -> None:
    COVERAGE[:] = [provider]


def coverage_parameters(day: date, province_code: str | None = None) -> CoverageParameters:
    """The registered provider's parameters (the vaccination app fills it), else the defaults: target
    95%, intervals unknown (a first dose then counts towards dropout from its day)."""
    return COVERAGE[0](day, province_code) if COVERAGE else CoverageParameters()
