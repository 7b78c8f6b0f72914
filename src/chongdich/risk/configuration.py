"""The rule configuration of this deployment: the engine's defaults plus the provinces' settings
stored as data (``ProvinceRiskSetting``), turned into province rule versions with effective dates."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from chongdich.core.versioning import RuleVersion
from chongdich.risk.models import ProvinceRiskSetting
from chongdich.risk.rules import RiskConfig, default_config
from chongdich.risk.rules.config import FRAMEWORK_KEY, FRAMEWORK_RULES, SCENARIOS_KEY

DEFAULT_NOTICE_HOURS = 48  # R-24 [V for NQ 128; D for 2686, which names no notice]


def setting_versions(settings) -> list[RuleVersion]:
    """Province rule versions from settings rows: each row is in force until the next one."""
    by_province = defaultdict(list)
    for row in settings:
        by_province[row.province_id].append(row)
    versions: list[RuleVersion] = []
    for rows in by_province.values():
        rows.sort(key=lambda row: row.effective_from)
        for index, row in enumerate(rows):
            end = rows[index + 1].effective_from if index + 1 < len(rows) else None
            versions.extend(_versions_of(row, row.province.code, end))
    return versions


def _versions_of(row, province: str, end: date | None) -> list[RuleVersion]:
    name = f"{province} {row.effective_from:%d/%m/%Y}"
    source = f"[D] ProvinceRiskSetting #{row.pk}: {row.note}".strip()
    policy = {
        "policy": {"raise_border_by": row.raise_border_by, "raise_next_to_higher_by": row.raise_next_to_higher_by}
    }
    versions = [
        RuleVersion(FRAMEWORK_RULES["2686"], name, row.effective_from, end, policy, province, source),
        RuleVersion(
            FRAMEWORK_RULES["4800"],
            name,
            row.effective_from,
            end,
            {**policy, "notice_hours": row.notice_hours},
            province,
            source,
        ),
        RuleVersion(
            FRAMEWORK_RULES["218"],
            name,
            row.effective_from,
            end,
            {**policy, "notice_hours": row.notice_hours},
            province,
            source,
        ),
        RuleVersion(
            SCENARIOS_KEY,
            name,
            row.effective_from,
            end,
            {
                "bands": {
                    "base": 1,
                    "cuts": [
                        {"label": 2, "at_least": row.scenario_2_from},
                        {"label": 3, "more_than": row.scenario_3_above},
                    ],
                }
            },
            province,
            source,
        ),
    ]
    if row.framework:
        versions.append(
            RuleVersion(FRAMEWORK_KEY, name, row.effective_from, end, {"framework": row.framework}, province, source)
        )
    return versions


def deployment_config(rows=None) -> RiskConfig:
    """Defaults plus every province setting (a handful of rows; built per run or page)."""
    if rows is None:
        rows = list(ProvinceRiskSetting.objects.select_related("province"))
    if not rows:
        return default_config()
    return default_config().with_versions(setting_versions(rows))


def setting_in_force(province_id: int | None, on: date, rows=None):
    """The province's ``ProvinceRiskSetting`` in force on ``on`` (None: national defaults)."""
    if province_id is None:
        return None
    if rows is None:
        return (
            ProvinceRiskSetting.objects.filter(province_id=province_id, effective_from__lte=on)
            .order_by("-effective_from")
            .first()
        )
    candidates = [row for row in rows if row.province_id == province_id and row.effective_from <= on]
    return max(candidates, key=lambda row: row.effective_from, default=None)


def notice_hours(config: RiskConfig, framework: str, on: date, province: str | None, setting=None) -> int:
    """Hours between announcing a changed level and its taking effect: the framework's rule
    (4800, 218), else the province's setting, else 48 (R-24)."""
    if framework in ("4800", "218"):
        value = config.rule(FRAMEWORK_RULES[framework], on, province).values.get("notice_hours")
        if value is not None:
            return int(value)
    if setting is not None:
        return int(setting.notice_hours)
    return DEFAULT_NOTICE_HOURS


def framework_on(config: RiskConfig, on: date, province: str | None) -> str | None:
    chosen = config.rule(FRAMEWORK_KEY, on, province).values.get("framework")
    return None if chosen is None else str(chosen)
