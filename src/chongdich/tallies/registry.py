"""Which models feed tallies (each app registers its models in AppConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import models

# model → function returning the queryset to iterate when rebuilding (with the prefetches it needs)
SOURCES: dict[type[models.Model], Callable[[], models.QuerySet]] = {}


def register(model: type[models.Model], queryset: Callable[[], models.QuerySet] | None = None) -> None:
    SOURCES[model] = queryset or model._default_manager.all
