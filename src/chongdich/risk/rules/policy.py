"""R-14 local policy and R-24 publication.

A locality may apply measures earlier or stronger than its assessed level, never later or
weaker: ``applied ≥ computed`` always.  A province may raise border communes, and communes next
to a higher-level area, by k ∈ {1, 2} levels; an explicit override is accepted only if it is not
weaker than the computed level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from chongdich.risk.rules.errors import ConfigError
from chongdich.risk.rules.levels import LevelScale, Tier
from chongdich.risk.rules.results import Reason


@dataclass(frozen=True, slots=True)
class PolicyRules:
    raise_border_by: int
    raise_next_to_higher_by: int
    tiers: frozenset[Tier]


def compile_policy(raw: Mapping[str, Any], where: str) -> PolicyRules:
    for name in ("raise_border_by", "raise_next_to_higher_by"):
        if raw.get(name) not in (0, 1, 2) or type(raw.get(name)) is not int:
            raise ConfigError(f"{where}.policy.{name}: must be 0 (off), 1 or 2, got {raw.get(name)!r}")
    try:
        tiers = frozenset(Tier(tier) for tier in raw.get("tiers", ["commune"]))
    except ValueError as error:
        raise ConfigError(f"{where}.policy.tiers: {error}") from error
    return PolicyRules(raw["raise_border_by"], raw["raise_next_to_higher_by"], tiers)


@dataclass(frozen=True, slots=True)
class OverrideDecision:
    accepted: bool
    level: int | None  # the level to apply (the requested one if accepted, else the computed one)
    reason: Reason


def check_override(computed: int | None, requested: int, levels: LevelScale) -> OverrideDecision:
    """Accept an override that is not weaker than the computed level; refuse it with an
    explanation otherwise.  Without a computed level only the top level can be accepted,
    because nothing else can be shown not to be weaker."""
    if not levels.valid(requested):
        return OverrideDecision(
            False,
            computed,
            Reason(
                "R-14",
                f"từ chối cấp độ đề nghị {requested}: không phải cấp độ hợp lệ ({levels.lowest}–{levels.highest})",
                f"override {requested} refused: not a valid level ({levels.lowest}–{levels.highest})",
            ),
        )
    wanted_vi, wanted_en = levels.label_vi(requested), levels.label_en(requested)
    if computed is None:
        if requested == levels.highest:
            return OverrideDecision(
                True,
                requested,
                Reason(
                    "R-14",
                    f"chấp nhận áp dụng {wanted_vi}: cấp cao nhất, không thể yếu hơn cấp độ đánh giá",
                    f"override to {wanted_en} accepted: the top level cannot be weaker than the assessment",
                ),
            )
        return OverrideDecision(
            False,
            None,
            Reason(
                "R-14",
                f"từ chối áp dụng {wanted_vi}: chưa tính được cấp độ (thiếu dữ liệu) nên không chứng minh "
                "được cấp đề nghị không thấp hơn; chỉ chấp nhận cấp cao nhất",
                f"override to {wanted_en} refused: the level could not be computed (missing inputs), so it "
                "cannot be shown not to be weaker; only the top level is accepted",
            ),
        )
    computed_vi, computed_en = levels.label_vi(computed), levels.label_en(computed)
    if requested < computed:
        return OverrideDecision(
            False,
            computed,
            Reason(
                "R-14",
                f"từ chối áp dụng {wanted_vi}: thấp hơn cấp độ đánh giá {computed_vi}; địa phương chỉ được áp "
                "dụng biện pháp sớm hơn, mạnh hơn, không được muộn hơn, yếu hơn",
                f"override to {wanted_en} refused: weaker than the assessed {computed_en}; a locality may apply "
                "measures earlier or stronger, never later or weaker",
            ),
        )
    return OverrideDecision(
        True,
        requested,
        Reason(
            "R-14",
            f"áp dụng {wanted_vi} theo quyết định của địa phương (cấp độ đánh giá {computed_vi})",
            f"{wanted_en} applied by local decision (assessed {computed_en})",
        ),
    )


@dataclass(slots=True)
class Applied:
    level: int | None
    reasons: list[Reason]
    missing: list[str]


def local_raise(
    computed: int,
    tier: Tier,
    is_border: bool | None,
    neighbour_levels: Mapping[str, int | None],
    rules: PolicyRules,
    levels: LevelScale,
) -> Applied:
    """The province's optional raise of border communes and communes next to higher areas.
    ``neighbour_levels`` are the neighbours' computed levels (None: unknown)."""
    if tier not in rules.tiers or not (rules.raise_border_by or rules.raise_next_to_higher_by):
        return Applied(computed, [], [])
    reasons: list[Reason] = []
    missing: list[str] = []
    k = 0
    if rules.raise_border_by:
        if is_border is None:
            missing.append("is_border")
        elif is_border:
            k = rules.raise_border_by
            reasons.append(
                Reason(
                    "R-14",
                    f"đơn vị biên giới: tỉnh quy định nâng {k} cấp",
                    f"border unit: the province raises it by {k}",
                )
            )
    if rules.raise_next_to_higher_by:
        higher = sorted(code for code, level in neighbour_levels.items() if level is not None and level > computed)
        unknown = sorted(code for code, level in neighbour_levels.items() if level is None)
        if higher:
            k = max(k, rules.raise_next_to_higher_by)
            listed = ", ".join(higher)
            reasons.append(
                Reason(
                    "R-14",
                    f"giáp địa bàn có cấp độ cao hơn ({listed}): tỉnh quy định nâng {rules.raise_next_to_higher_by} cấp",
                    f"next to higher-level areas ({listed}): the province raises it by {rules.raise_next_to_higher_by}",
                )
            )
        elif unknown:
            missing.extend(f"{code}.level" for code in unknown)
    if missing and k < max(rules.raise_border_by, rules.raise_next_to_higher_by):
        return Applied(None, reasons, missing)  # the raise may apply but cannot be decided
    level = min(levels.highest, computed + k)
    if k:
        reasons.append(Reason("R-14", f"áp dụng {levels.label_vi(level)}", f"applied {levels.label_en(level)}"))
    return Applied(level, reasons, [])


def decide(
    computed: int | None,
    tier: Tier,
    is_border: bool | None,
    neighbour_levels: Mapping[str, int | None],
    override: int | None,
    rules: PolicyRules,
    levels: LevelScale,
) -> Applied:
    """Applied level = max(computed, province raise, accepted override)."""
    applied = Applied(None, [], [])
    if computed is not None:
        applied = local_raise(computed, tier, is_border, neighbour_levels, rules, levels)
    if override is not None:
        decision = check_override(computed, override, levels)
        applied.reasons.append(decision.reason)
        if decision.accepted:
            assert decision.level is not None
            if applied.level is not None:
                applied.level = max(applied.level, decision.level)
            elif computed is None or decision.level >= _highest_raise(computed, rules, levels):
                applied.level, applied.missing = decision.level, []  # covers whatever the raise would be
    return applied


def _highest_raise(computed: int, rules: PolicyRules, levels: LevelScale) -> int:
    return min(levels.highest, computed + max(rules.raise_border_by, rules.raise_next_to_higher_by))


def effective_from(announced_at: datetime, notice_hours: int = 48) -> datetime:
    """R-24: a changed level takes effect no earlier than ``notice_hours`` after announcement."""
    return announced_at + timedelta(hours=notice_hours)
