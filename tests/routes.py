"""Every route of the URLconf, found by walking the resolver (so that a new page is covered by the
generated tests the day it is added)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.urls import URLPattern, URLResolver, get_resolver

# Django's admin (superusers only, its own forms), the language switch and logout (they end the session).
SKIPPED_PREFIXES = ("django-admin/", "i18n/", "accounts/logout/")


@dataclass(frozen=True)
class Route:
    route: str  # "people/<int:pk>/edit/"
    name: str | None  # "people:edit"
    converters: dict = field(default_factory=dict)  # parameter name → converter

    @property
    def has_parameters(self) -> bool:
        return bool(self.converters) or "(?P<" in self.route

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/")


def _walk(patterns, prefix: str, converters: dict, namespace: str | None) -> Iterator[Route]:
    for pattern in patterns:
        found = {**converters, **getattr(pattern.pattern, "converters", {})}
        if isinstance(pattern, URLResolver):
            inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), found, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield Route(prefix + str(pattern.pattern), name, found)


def routes(*, include_skipped: bool = False) -> list[Route]:
    found = _walk(get_resolver().url_patterns, "", {}, None)
    return [r for r in found if include_skipped or not r.route.startswith(SKIPPED_PREFIXES)]


def page_routes() -> list[Route]:
    """The pages without parameters in their address (lists, forms, dashboards)."""
    return [r for r in routes() if not r.has_parameters and not r.is_api]
