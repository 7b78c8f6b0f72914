"""Errors raised by the risk engine. Each carries Vietnamese and English text."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


class ConfigError(ValueError):
    """A rule version's values are malformed; the message names the key, version and path."""


@dataclass(frozen=True, slots=True)
class Problem:
    """One invalid field of one unit (``unit`` is its code, or ``#index`` when it has none)."""

    unit: str
    field: str
    vi: str
    en: str

    def text(self, lang: str = "vi") -> str:
        if lang == "en":
            return f"unit {self.unit}, field {self.field!r}: {self.en}"
        if lang == "both":
            return f"{self.text('vi')} / {self.en}"
        return f"đơn vị {self.unit}, trường {self.field!r}: {self.vi}"


class InputError(ValueError):
    """Invalid input units; ``problems`` lists every field at fault."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(p.text("en") for p in problems[:5]))


class NoFrameworkInForce(LookupError):
    """No risk-level framework applies on the date (before 31/5/2021 only directives 15/16/19 did)."""

    def __init__(self, on: date):
        self.on = on
        super().__init__(f"no risk-level framework in force on {on.isoformat()} (directives 15/16/19 only)")

    @property
    def vi(self) -> str:
        return (
            f"ngày {self.on.isoformat()} chưa có khung đánh giá cấp độ dịch "
            "(chỉ áp dụng Chỉ thị 15/16/19); hãy chọn --framework"
        )
