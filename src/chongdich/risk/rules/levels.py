"""Frameworks, administrative tiers, risk levels and their colours and names.

2686 numbers its levels 0–3 (green … red); NQ 128 with QĐ 4800 and QĐ 218 number them 1–4.
Everything that prints a level goes through ``LevelScale`` so the two numberings never mix.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Framework(StrEnum):
    F2686 = "2686"  # QĐ 2686/QĐ-BCĐQG, 31/5/2021
    F4800 = "4800"  # NQ 128/NQ-CP + QĐ 4800/QĐ-BYT, 11–12/10/2021
    F218 = "218"  # QĐ 218/QĐ-BYT, 27/1/2022


class Tier(StrEnum):
    COMMUNE = "commune"
    DISTRICT = "district"
    PROVINCE = "province"
    NATION = "nation"

    @property
    def rank(self) -> int:
        return _TIER_RANK[self]

    @property
    def vi(self) -> str:
        return _TIER_VI[self]


_TIER_RANK = {Tier.COMMUNE: 0, Tier.DISTRICT: 1, Tier.PROVINCE: 2, Tier.NATION: 3}
_TIER_VI = {Tier.COMMUNE: "xã", Tier.DISTRICT: "huyện", Tier.PROVINCE: "tỉnh", Tier.NATION: "toàn quốc"}

COLOURS = ("green", "yellow", "orange", "red")
_COLOURS_VI = ("xanh", "vàng", "cam", "đỏ")


@dataclass(frozen=True, slots=True)
class LevelScale:
    framework: Framework
    lowest: int
    names_vi: tuple[str, str, str, str]
    names_en: tuple[str, str, str, str]

    @property
    def highest(self) -> int:
        return self.lowest + 3

    @property
    def levels(self) -> range:
        return range(self.lowest, self.highest + 1)

    def valid(self, level: object) -> bool:
        return type(level) is int and self.lowest <= level <= self.highest

    def colour(self, level: int) -> str:
        return COLOURS[level - self.lowest]

    def name_vi(self, level: int) -> str:
        return self.names_vi[level - self.lowest]

    def name_en(self, level: int) -> str:
        return self.names_en[level - self.lowest]

    def label_vi(self, level: int) -> str:
        """Short label used inside reasons: "Đỏ" (2686) or "cấp 3 (cam)" (128)."""
        colour = _COLOURS_VI[level - self.lowest]
        if self.framework is Framework.F2686:
            return colour.capitalize()
        return f"cấp {level} ({colour})"

    def label_en(self, level: int) -> str:
        colour = COLOURS[level - self.lowest]
        if self.framework is Framework.F2686:
            return colour
        return f"level {level} ({colour})"


_NAMES_128_VI = ("Nguy cơ thấp (bình thường mới)", "Nguy cơ trung bình", "Nguy cơ cao", "Nguy cơ rất cao")
_NAMES_128_EN = ("Low risk (new normal)", "Medium risk", "High risk", "Very high risk")

SCALES: dict[Framework, LevelScale] = {
    Framework.F2686: LevelScale(
        Framework.F2686,
        0,
        ("Bình thường mới", "Nguy cơ", "Nguy cơ cao", "Nguy cơ rất cao"),
        ("New normal", "At risk", "High risk", "Very high risk"),
    ),
    Framework.F4800: LevelScale(Framework.F4800, 1, _NAMES_128_VI, _NAMES_128_EN),
    Framework.F218: LevelScale(Framework.F218, 1, _NAMES_128_VI, _NAMES_128_EN),
}


def scale(framework: Framework | str) -> LevelScale:
    found = SCALES.get(framework)  # type: ignore[call-overload]
    return found if found is not None else SCALES[Framework(framework)]
