"""Sources of candidate contacts on a case's tracing page, without surveillance importing them.

A higher app that can suggest contacts of a case (movement: the people who checked in at a venue at
the same time as the case) registers, in its ``AppConfig.ready()``, a function
``(request, case) -> SourcePanel | None``.  The tracing page shows each panel above its list (its own
template and context) and lists the people it names in the page's read audit.  A source decides what
the user may see (its scope) and offers its own actions; confirming a candidate goes through
surveillance's own action for an exposure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class SourcePanel:
    template: str
    context: dict = field(default_factory=dict)
    people: list[int] = field(default_factory=list)  # ids of the people the panel names (audited)


_sources: list[Callable] = []


def register(source: Callable) -> None:
    if source not in _sources:
        _sources.append(source)


def panels(request, case) -> list[SourcePanel]:
    found = []
    for source in _sources:
        panel = source(request, case)
        if panel is not None:
            found.append(panel)
    return found
