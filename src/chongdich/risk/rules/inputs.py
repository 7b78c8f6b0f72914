"""Unit inputs: the typed record the engine reads, and the names of its fields.

Names match the CLI's JSON schema exactly.  ``None`` always means "not provided": nothing is
defaulted here; each framework decides what it needs and reports absent inputs by name.
Validation of JSON-like data is in ``parsing``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from chongdich.risk.rules.levels import Tier

CLUSTER_SETTINGS = ("industrial_park", "school", "market", "supermarket", "hospital", "household", "other")
SETTING_NAMES = {  # (vi, en) for reasons
    "industrial_park": ("khu công nghiệp", "industrial park"),
    "school": ("trường học", "school"),
    "market": ("chợ", "market"),
    "supermarket": ("siêu thị", "supermarket"),
    "hospital": ("bệnh viện", "hospital"),
    "household": ("hộ gia đình", "household"),
    "other": ("nơi khác", "other"),
}

# Whole-number counts (people, cases, doses, deaths); summed when rolling up.
COUNT_INPUTS = (
    "population",
    "population_18plus",
    "population_50plus",
    "population_65plus",
    "high_risk_population",
    "new_community_cases_7d",
    "new_community_cases_14d",
    "known_source_cases_14d",
    "unknown_source_cases_14d",
    "dose1_18plus",
    "full_50plus",
    "full_all",
    "full_high_risk",
    "deaths_7d",
    "hospital_cases_7d",
)
# Capacity rates per 100,000 people (QĐ 218 criteria 3b, 3c).
RATE_INPUTS = ("vacant_beds_per_100k", "icu_beds_per_100k")
# Yes/no facts.  The last five are optional judgement factors of 2686 (see docs/risk/cli.md).
FLAG_INPUTS = (
    "f1_present",
    "capacity_ready",
    "is_border",
    "linked_to_red_cluster_place",
    "illegal_entry_risk",
    "protected_site_at_risk",
    "spreads_to_other_provinces",
)
SHARE_INPUTS = ("hard_to_control_spread_share",)  # 0..1: share of sub-units the source may reach
LEVEL_INPUTS = ("previous_level", "override_level")  # range depends on the framework
IDENTITY_KEYS = ("code", "name", "level", "parent")
INPUT_NAMES = (*COUNT_INPUTS, *RATE_INPUTS, *FLAG_INPUTS, *SHARE_INPUTS, *LEVEL_INPUTS, "neighbours", "clusters")


@dataclass(frozen=True, slots=True)
class Cluster:
    source_known: bool
    setting: str  # one of CLUSTER_SETTINGS
    cases: int


@dataclass
class UnitInputs:
    """One unit's inputs for one assessment: build it directly (e.g. from tallies in Django) or
    with ``parse_units`` from JSON.  A plain (not slotted) dataclass: ``parse_units`` fills
    ``__dict__`` directly for speed, and absent fields read their class default None."""

    code: str
    name: str
    tier: Tier  # the JSON key is "level" (commune/district/province/nation)
    parent: str | None = None
    population: int | None = None
    population_18plus: int | None = None
    population_50plus: int | None = None
    population_65plus: int | None = None
    high_risk_population: int | None = None
    new_community_cases_7d: int | None = None
    new_community_cases_14d: int | None = None
    known_source_cases_14d: int | None = None
    unknown_source_cases_14d: int | None = None
    clusters: tuple[Cluster, ...] | None = None
    f1_present: bool | None = None
    dose1_18plus: int | None = None
    full_50plus: int | None = None
    full_all: int | None = None
    full_high_risk: int | None = None
    deaths_7d: int | None = None
    hospital_cases_7d: int | None = None
    vacant_beds_per_100k: float | None = None
    icu_beds_per_100k: float | None = None
    capacity_ready: bool | None = None
    neighbours: tuple[str, ...] | None = None
    is_border: bool | None = None
    previous_level: int | None = None
    override_level: int | None = None
    linked_to_red_cluster_place: bool | None = None
    illegal_entry_risk: bool | None = None
    protected_site_at_risk: bool | None = None
    spreads_to_other_provinces: bool | None = None
    hard_to_control_spread_share: float | None = None


def unit_ref(unit: UnitInputs) -> str:
    return f"{unit.code} ({unit.name})" if unit.name else unit.code


def as_mapping(unit: UnitInputs) -> Mapping[str, Any]:
    """All provided fields (handy for storing ``inputs_json``)."""
    return {f.name: getattr(unit, f.name) for f in fields(unit) if getattr(unit, f.name) is not None}
