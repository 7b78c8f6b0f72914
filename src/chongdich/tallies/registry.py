"""What feeds tallies, registered by each app in its AppConfig.ready (tallies import none of them).

- ``register``: the models whose records contribute to tallies (``rebuild_tallies`` iterates them).
- ``register_settle``: steps that write the changes falling due with time (quarantines past their
  planned end) so that the tallies read for a day count them; readers that need today's figures
  settled (the daily risk assessment) call ``settle()`` first.
- ``register_area_figures``: figures of an area that are not daily counters (facilities open, ready
  within 24 hours): ``provider(unit_path) -> {name: int}``, read with ``area_figures(path)``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

# model → function returning the queryset to iterate when rebuilding (with the prefetches it needs)
SOURCES: dict[type[models.Model], Callable[[], models.QuerySet]] = {}
SETTLE: list[Callable[[], object]] = []
AREA_FIGURES: list[Callable[[str], dict[str, int]]] = []


def register(model: type[models.Model], queryset: Callable[[], models.QuerySet] | None = None) -> None:
    SOURCES[model] = queryset or model._default_manager.all


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
