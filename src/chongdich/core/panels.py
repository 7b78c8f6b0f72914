"""Extension points of the person page: domain apps add actions and panels without people importing them.

Apps depend downward only (people must not import surveillance, testing or care); each domain app
registers, in its AppConfig.ready(), a function ``(user, person) -> PersonExtras | None``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Action:
    label: str
    url: str
    style: str = "outline-secondary"


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)


@dataclass
class PersonExtras:
    actions: list[Action] = field(default_factory=list)
    panels: list[Panel] = field(default_factory=list)


PERSON_EXTRAS: list[Callable] = []


def register_person_extras(provider: Callable) -> None:
    if provider not in PERSON_EXTRAS:
        PERSON_EXTRAS.append(provider)


def person_extras(user, person) -> PersonExtras:
    combined = PersonExtras()
    for provider in PERSON_EXTRAS:
        extras = provider(user, person)
        if extras is not None:
            combined.actions.extend(extras.actions)
            combined.panels.extend(extras.panels)
    return combined
