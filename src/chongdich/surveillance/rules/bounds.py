"""One-sided numeric bounds read from configuration, e.g. ``{"at_most": 20}`` (RR ≤ 20 under
QĐ 4038) or ``{"less_than": 20}`` (RR < 20 under QĐ 261): which side is inclusive is data, so
a boundary change between versions is a configuration change, not a code change."""

from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from chongdich.surveillance.rules.errors import ConfigError

_OPS: dict[str, tuple[str, Callable[[float, float], bool]]] = {
    "at_least": ("≥", operator.ge),
    "more_than": (">", operator.gt),
    "at_most": ("≤", operator.le),
    "less_than": ("<", operator.lt),
}
OPERATORS = tuple(_OPS)


@dataclass(frozen=True, slots=True)
class Bound:
    op: str  # one of OPERATORS
    limit: float

    def holds(self, value: float) -> bool:
        return _OPS[self.op][1](value, self.limit)

    @property
    def symbol(self) -> str:
        return _OPS[self.op][0]

    def text(self) -> str:
        """``"≤ 20"``; numbers as written in the configuration (``96``, ``38.5``)."""
        return f"{self.symbol} {fmt(self.limit)}"


def fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def fmt_vi(value: float) -> str:
    """Vietnamese decimal comma: ``38.5`` → ``38,5``."""
    return fmt(value).replace(".", ",")


def number(raw: Any, where: str) -> float:
    if type(raw) not in (int, float) or raw != raw:  # bool is not a number here; NaN refused
        raise ConfigError(f"{where}: expected a number, got {raw!r}")
    return float(raw) if type(raw) is float else int(raw)


def compile_bound(raw: Mapping[str, Any], where: str, extra: tuple[str, ...] = ()) -> Bound:
    """Exactly one operator key (plus any ``extra`` keys the caller reads itself)."""
    if not isinstance(raw, Mapping):
        raise ConfigError(f'{where}: expected an object like {{"at_most": 20}}, got {raw!r}')
    ops = [key for key in raw if key in _OPS]
    unknown = set(raw) - set(_OPS) - set(extra)
    if len(ops) != 1 or unknown:
        raise ConfigError(
            f"{where}: expected exactly one of {list(_OPS)} (and optionally {list(extra)}), got keys {sorted(raw)}"
        )
    return Bound(ops[0], number(raw[ops[0]], f"{where}.{ops[0]}"))
