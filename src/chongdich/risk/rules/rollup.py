"""R-11 / R-12: a district's 2686 level from its communes' levels, a province's from its
districts', the nation's from its provinces'.

Criteria are data: per tier and level, minimum shares and counts of children at a level, and the
unit's own factors (hard-to-control source spreading, protected industrial site).  Shares count
children "at or above" a level by default; "exactly" is the literal reading of the text and is
kept as a switch (it is not monotone, see defaults.SOURCE_2686).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from chongdich.risk.rules.bands import decimal, threshold
from chongdich.risk.rules.errors import ConfigError
from chongdich.risk.rules.fmt import num_en, num_vi, pct_en, pct_vi
from chongdich.risk.rules.inputs import UnitInputs
from chongdich.risk.rules.levels import LevelScale, Tier
from chongdich.risk.rules.results import Reason

SHARE_MODES = ("at_or_above", "exactly")
ROLLUP_TIERS = (Tier.DISTRICT, Tier.PROVINCE, Tier.NATION)
_RULE = {Tier.DISTRICT: "R-11", Tier.PROVINCE: "R-12", Tier.NATION: "R-12"}
_CHILDREN = {
    Tier.DISTRICT: ("xã", "communes"),
    Tier.PROVINCE: ("huyện", "districts"),
    Tier.NATION: ("tỉnh", "provinces"),
}


@dataclass(frozen=True, slots=True)
class LevelCriteria:
    shares: tuple[tuple[int, Fraction], ...]  # (child level, minimum share of children)
    counts: tuple[tuple[int, int], ...]  # (child level, minimum number at or above it)
    spread_share_over: Fraction | None  # the unit's hard_to_control_spread_share must exceed this
    spread_needs_other_provinces: bool
    protected_site: bool  # protected_site_at_risk fires this level


@dataclass(frozen=True, slots=True)
class RollupRules:
    share_mode: str
    tiers: Mapping[Tier, Mapping[int, LevelCriteria]]  # tier → level (high to low) → criteria


def compile_rollup(raw: Mapping[str, Any], where: str, levels: Sequence[int]) -> RollupRules:
    mode = raw.get("share_mode")
    if mode not in SHARE_MODES:
        raise ConfigError(f"{where}.rollup.share_mode: must be one of {SHARE_MODES}, got {mode!r}")
    tiers = {}
    for tier in ROLLUP_TIERS:
        table = raw.get(tier.value, {})
        spot = f"{where}.rollup.{tier.value}"
        criteria = {int(level): _criteria(table[level], f"{spot}.{level}", levels) for level in table}
        if set(criteria) - set(levels[1:]):
            raise ConfigError(f"{spot}: levels must be among {list(levels[1:])}")
        tiers[tier] = dict(sorted(criteria.items(), reverse=True))
    return RollupRules(mode, tiers)


def _criteria(raw: Mapping[str, Any], where: str, levels: Sequence[int]) -> LevelCriteria:
    unknown = set(raw) - {"shares", "counts", "spread_share_over", "spread_needs_other_provinces", "protected_site"}
    if unknown:
        raise ConfigError(f"{where}: unknown keys {sorted(unknown)}")
    shares = tuple(
        (_level(k, where, levels), threshold(v, f"{where}.shares.{k}")) for k, v in raw.get("shares", {}).items()
    )
    counts = tuple((_level(k, where, levels), int(v)) for k, v in raw.get("counts", {}).items())
    spread = raw.get("spread_share_over")
    return LevelCriteria(
        shares,
        counts,
        None if spread is None else threshold(spread, f"{where}.spread_share_over"),
        bool(raw.get("spread_needs_other_provinces", False)),
        bool(raw.get("protected_site", False)),
    )


def _level(key: str, where: str, levels: Sequence[int]) -> int:
    if not str(key).isdigit() or int(key) not in levels:
        raise ConfigError(f"{where}: {key!r} is not a level {list(levels)}")
    return int(key)


@dataclass(slots=True)
class Rolled:
    level: int
    reasons: list[Reason]


def roll_up(unit: UnitInputs, child_levels: Sequence[int], rules: RollupRules, levels: LevelScale) -> Rolled:
    """The unit's level from its children's (known) levels and its own factors: the highest
    level any criterion of which holds; the lowest level if none does."""
    table = rules.tiers[unit.tier]
    for level, criteria in table.items():
        fired = _fired(unit, child_levels, level, criteria, rules.share_mode, levels)
        if fired:
            return Rolled(level, fired)
    noun_vi, noun_en = _CHILDREN[unit.tier]
    lowest = levels.lowest
    return Rolled(
        lowest,
        [
            Reason(
                _RULE[unit.tier],
                f"không tiêu chí nào thỏa ({len(child_levels)} {noun_vi}) → {levels.label_vi(lowest)}",
                f"no criterion met ({len(child_levels)} {noun_en}) → {levels.label_en(lowest)}",
            )
        ],
    )


def _fired(
    unit: UnitInputs, children: Sequence[int], level: int, criteria: LevelCriteria, mode: str, levels: LevelScale
) -> list[Reason]:
    rule, (noun_vi, noun_en) = _RULE[unit.tier], _CHILDREN[unit.tier]
    to_vi, to_en = levels.label_vi(level), levels.label_en(level)
    total = len(children)
    reasons = []
    for child_level, minimum in criteria.shares:
        if mode == "exactly":
            count = sum(1 for c in children if c == child_level)
            at_vi, at_en = levels.label_vi(child_level), levels.label_en(child_level)
        else:
            count = sum(1 for c in children if c >= child_level)
            at_vi = f"{levels.label_vi(child_level)} trở lên"
            at_en = f"{levels.label_en(child_level)} or higher"
        if total and count * minimum.denominator >= minimum.numerator * total:
            reasons.append(
                Reason(
                    rule,
                    f"{count}/{total} {noun_vi} ({pct_vi(count, total)}) ở mức {at_vi}, ngưỡng ≥ "
                    f"{num_vi(float(minimum) * 100)}% → {to_vi}",
                    f"{count}/{total} {noun_en} ({pct_en(count, total)}) at {at_en}, threshold ≥ "
                    f"{num_en(float(minimum) * 100)}% → {to_en}",
                )
            )
    for child_level, minimum in criteria.counts:
        count = sum(1 for c in children if c >= child_level)
        if count >= minimum:
            reasons.append(
                Reason(
                    rule,
                    f"{count} {noun_vi} ở mức {levels.label_vi(child_level)} trở lên (ngưỡng ≥ {minimum}) → {to_vi}",
                    f"{count} {noun_en} at {levels.label_en(child_level)} or higher (threshold ≥ {minimum}) → {to_en}",
                )
            )
    reasons += _own_factors(unit, criteria, rule, to_vi, to_en, noun_vi, noun_en)
    return reasons


def _own_factors(
    unit: UnitInputs, criteria: LevelCriteria, rule: str, to_vi: str, to_en: str, noun_vi: str, noun_en: str
) -> list[Reason]:
    reasons = []
    share = unit.hard_to_control_spread_share
    if criteria.spread_share_over is not None and share is not None and decimal(share) > criteria.spread_share_over:
        other = not criteria.spread_needs_other_provinces or unit.spreads_to_other_provinces
        if other:
            extra_vi = " và sang tỉnh khác" if criteria.spread_needs_other_provinces else ""
            extra_en = " and to other provinces" if criteria.spread_needs_other_provinces else ""
            limit_vi, limit_en = (
                num_vi(float(criteria.spread_share_over) * 100),
                num_en(float(criteria.spread_share_over) * 100),
            )
            reasons.append(
                Reason(
                    rule,
                    f"nguồn lây khó kiểm soát có nguy cơ lan tới {num_vi(share * 100)}% số {noun_vi} (> {limit_vi}%)"
                    f"{extra_vi} → {to_vi}",
                    f"hard-to-control source may spread to {num_en(share * 100)}% of {noun_en} (> {limit_en}%)"
                    f"{extra_en} → {to_en}",
                )
            )
    if criteria.protected_site and unit.protected_site_at_risk:
        reasons.append(
            Reason(
                rule,
                f"khu công nghiệp/cơ sở sản xuất quan trọng cần bảo vệ giáp vùng có nguồn lây khó kiểm soát → {to_vi}",
                f"protected industrial park/production site borders an area with a hard-to-trace source → {to_en}",
            )
        )
    return reasons
