"""``VaccinationConfig``: every rule version the vaccination rules may use, one ``RuleBook`` per
family, the version in force per (family, date, province) cached and compiled once.

Build it from the defaults plus stored versions: ``default_config().with_versions(stored)`` where
``stored`` are ``RuleVersion``s (``version_from_dict`` reads the JSON of
``ProvinceVaccinationSetting.versions`` or a ``--rules`` file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from fractions import Fraction
from functools import cache
from typing import Any

from chongdich.core.versioning import RuleVersion, VersionedConfig, version_from_mapping
from chongdich.vaccination.rules.catalogue import (
    ColourRule,
    GroupsRule,
    PriorityGroup,
    Product,
    ProductsRule,
    ScreeningRule,
    TargetsRule,
    compile_colour,
    compile_groups,
    compile_products,
    compile_screening,
    compile_targets,
)
from chongdich.vaccination.rules.defaults import DEFAULT_VERSIONS
from chongdich.vaccination.rules.errors import ConfigError
from chongdich.vaccination.rules.keys import (
    COLOUR_KEY,
    GROUPS_KEY,
    KEYS,
    PRODUCTS_KEY,
    SCREENING_KEY,
    TARGETS_KEY,
)

COMPILERS: dict[str, Callable[[Mapping[str, Any], str], Any]] = {
    PRODUCTS_KEY: compile_products,
    GROUPS_KEY: compile_groups,
    COLOUR_KEY: compile_colour,
    SCREENING_KEY: compile_screening,
    TARGETS_KEY: compile_targets,
}


class VaccinationConfig(VersionedConfig):
    """All rule versions of the vaccination families (national defaults plus province overrides)."""

    error = ConfigError

    def __init__(self, versions: Iterable[RuleVersion]):
        super().__init__(versions)
        self._checked: dict[tuple[date, str | None], ProductsRule] = {}

    # --- the typed answers -------------------------------------------------------------------------
    def products_rule(self, on: date, province: str | None = None) -> ProductsRule:
        """The catalogue, additional-dose and booster rules in force on ``on`` (province merged).

        A province may lower a primary interval only down to the national version's ``floor_days``
        (e.g. AstraZeneca ≥ 28 days from 20/9/2021, 56 before): an override going lower is refused."""
        slot = (on, province)
        found = self._checked.get(slot)
        if found is None:
            version, found = self.compiled(PRODUCTS_KEY, on, province, compile_products)
            if province:
                _, national = self.compiled(PRODUCTS_KEY, on, None, compile_products)
                _check_floors(found, national, f"{PRODUCTS_KEY} [{version.version}]", on)
            self._checked[slot] = found
        return found

    def products(self, on: date, province: str | None = None) -> dict[str, Product]:
        """Code -> ``Product`` of the catalogue in force on ``on``."""
        return self.products_rule(on, province).products

    def product_version(self, on: date, province: str | None = None) -> str:
        return self.rule(PRODUCTS_KEY, on, province).version

    def groups(self, on: date, province: str | None = None) -> tuple[PriorityGroup, ...]:
        """The priority groups in force: NQ 21's 9 from 26/2/2021, QĐ 3355's 16 from 8/7/2021."""
        return self.compiled(GROUPS_KEY, on, province, compile_groups)[1].groups

    def groups_rule(self, on: date, province: str | None = None) -> GroupsRule:
        return self.compiled(GROUPS_KEY, on, province, compile_groups)[1]

    def colour_rule(self, on: date, province: str | None = None) -> ColourRule:
        return self.compiled(COLOUR_KEY, on, province, compile_colour)[1]

    def screening_rule(self, on: date, province: str | None = None) -> ScreeningRule:
        return self.compiled(SCREENING_KEY, on, province, compile_screening)[1]

    def targets(self, on: date, province: str | None = None) -> TargetsRule:
        return self.compiled(TARGETS_KEY, on, province, compile_targets)[1]

    def coverage_target_pct(self, on: date, province: str | None = None, group: str | None = None) -> Fraction | int:
        """The coverage target (95 in plans 152 and 10), a group's own target when it has one."""
        targets = self.targets(on, province)
        return targets.groups.get(group, targets.coverage_pct) if group else targets.coverage_pct


def _check_floors(merged: ProductsRule, national: ProductsRule, where: str, on: date) -> None:
    for code, product in merged.products.items():
        base = national.products.get(code)
        if base is None:
            continue
        for mine, theirs in zip(product.intervals, base.intervals, strict=False):
            if mine.min_days < theirs.floor_days:
                raise ConfigError(
                    f"{where}: products.{code}.intervals.{mine.gap}.min_days = {mine.min_days} is below the "
                    f"national floor of {theirs.floor_days} days in force on {on.isoformat()}"
                )


ACCESSORS: dict[str, Callable[[VaccinationConfig, date, str | None], Any]] = {
    PRODUCTS_KEY: VaccinationConfig.products_rule,
    GROUPS_KEY: VaccinationConfig.groups_rule,
    COLOUR_KEY: VaccinationConfig.colour_rule,
    SCREENING_KEY: VaccinationConfig.screening_rule,
    TARGETS_KEY: VaccinationConfig.targets,
}


def validate_overrides(versions: Iterable[RuleVersion], config: VaccinationConfig | None = None) -> None:
    """Refuse (``ConfigError`` naming the family, version and day) a province's rule versions that do not
    compile over every national version they overlap, or that go below a national floor.  For the page
    that saves ``ProvinceVaccinationSetting.versions``: an override is checked when saved, not first
    when a dose is judged."""
    resolve(config).validate(versions, ACCESSORS, "vaccination rule")


@cache
def default_config() -> VaccinationConfig:
    return VaccinationConfig(DEFAULT_VERSIONS)


def resolve(config: VaccinationConfig | None) -> VaccinationConfig:
    return default_config() if config is None else config


def version_from_dict(raw: Mapping[str, Any]) -> RuleVersion:
    """A ``RuleVersion`` of a vaccination family from JSON: dates as ``YYYY-MM-DD``."""
    return version_from_mapping(raw, error=ConfigError, families=KEYS, family_label="vaccination rule")
