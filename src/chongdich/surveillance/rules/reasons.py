"""Reasons: one rule line that applied, in Vietnamese and English, e.g.
``R-52: đã tiêm đủ liều (mũi cuối 20 ngày trước) → cách ly tại nhà 7 ngày``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    rule: str  # "R-50" … "R-55", or "QĐ 261" for the warning signs
    vi: str
    en: str

    def text(self, lang: str = "vi") -> str:
        """``"R-50: …"`` in ``vi``, ``en`` or ``both`` ("tiếng Việt / English")."""
        if lang == "en":
            return f"{self.rule}: {self.en}"
        if lang == "both":
            return f"{self.rule}: {self.vi} / {self.en}"
        return f"{self.rule}: {self.vi}"


def texts(reasons: list[Reason], lang: str = "vi") -> list[str]:
    return [reason.text(lang) for reason in reasons]
