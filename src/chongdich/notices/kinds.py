"""The kinds of notice: registered by the apps that publish them, in their ``AppConfig.ready()``.

    from chongdich.notices.kinds import Kind, register
    register(Kind(
        "forecast.rt_above_one",
        _("Rt in %(unit)s is above 1 (%(rt)s)"),      # a lazy msgid; %(name)s params only
        roles=(Role.DISTRICT_COMMITTEE, Role.HEALTH_STAFF),
        severity="warning",
        help=_("Sent when the reproduction number is above 1 with 95% confidence."),
    ))

The title is rendered when it is shown, in the reader's language (messages sent by email, SMS or Zalo in
the recipient's: Vietnamese, as users have no language of their own) — a notice stores its params, never
its text.  A param whose value is ``{"msgid": "..."}`` is translated too (a level name, a bed type).
Params carry no personal data (a person's name, phone, CCCD): the notifications list is not an audited
page of people, so name the unit, facility or count and link to the page that shows the person.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chongdich.core.roles import Role

SEVERITIES = ("info", "warning", "danger")


@dataclass(frozen=True)
class Kind:
    code: str  # "app.what", at most 60 characters
    title: Any  # a lazy msgid with %(name)s params
    roles: tuple[Role, ...] = field(default=())
    severity: str = "info"  # "info" | "warning" | "danger": the default of the kind's notices
    help: Any = ""  # lazy text: what it means and when it is sent (shown on the settings page)
    name: Any = ""  # optional short lazy name for the lists (the title with "…" for its params otherwise)

    def __post_init__(self):
        if not self.code or len(self.code) > 60:
            raise ValueError(f"notice kind code must be 1–60 characters: {self.code!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"notice kind {self.code}: severity must be one of {SEVERITIES}")
        object.__setattr__(self, "roles", tuple(Role(role) for role in self.roles))


_KINDS: dict[str, Kind] = {}

# A notice whose kind is no longer registered (an app removed, a kind renamed) still shows something.
UNKNOWN = Kind("unknown", _("Notification"), roles=(), severity="info")


def register(kind: Kind) -> Kind:
    """Add a kind (idempotent for the same definition; a different kind under a taken code is an error)."""
    existing = _KINDS.get(kind.code)
    if existing is not None and existing != kind:
        raise ValueError(f"notice kind {kind.code} is registered twice with different definitions")
    _KINDS[kind.code] = kind
    return kind


def unregister(code: str) -> None:
    """Remove a kind (tests)."""
    _KINDS.pop(code, None)


def get(code: str) -> Kind:
    """The kind of ``code``; ``UNKNOWN`` when nobody registered it."""
    return _KINDS.get(code, UNKNOWN)


def require(kind: Kind | str) -> Kind:
    """The registered kind of a code (or Kind); LookupError for one never registered (a programming error)."""
    code = kind.code if isinstance(kind, Kind) else kind
    try:
        return _KINDS[code]
    except KeyError:
        raise LookupError(f"notice kind {code!r} is not registered") from None


def label(kind: Kind) -> str:
    """The kind's name for a list or a filter, in the active language."""
    return str(kind.name) if kind.name else render(kind.code, {})


def all_kinds() -> list[Kind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.code)


def _value(value: Any) -> Any:
    if isinstance(value, dict) and "msgid" in value:
        return gettext(str(value["msgid"]))
    return value


def render(code: str, params: dict | None) -> str:
    """The kind's title in the active language with ``params``; a missing param shows as "…", never an error."""
    title = str(get(code).title)
    values = {name: _value(value) for name, value in (params or {}).items()}
    if "%(" not in title:
        return title
    try:
        return title % values
    except (KeyError, ValueError, TypeError):
        try:
            return title % _Lenient(values)
        except (ValueError, TypeError):  # a param of the wrong type for its format (%(n)d with text)
            return title


class _Lenient(dict):
    def __missing__(self, key):
        return "…"
