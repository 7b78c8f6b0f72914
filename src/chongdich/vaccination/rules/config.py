"""``VaccinationConfig``: every rule version the vaccination rules may use, one ``RuleBook`` per
family, the version in force per (family, date, province) cached and compiled once.

Build it from the defaults plus stored versions: ``default_config().with_versions(stored)`` where
``stored`` are ``RuleVersion``s (``version_from_dict`` reads the JSON of
``ProvinceVaccinationSetting.versions`` or a ``--rules`` file).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, timedelta
from fractions import Fraction
from functools import cache
from typing import Any, TypeVar

from chongdich.core.versioning import NoRuleInForce, RuleBook, RuleVersion, version_from_mapping
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

T = TypeVar("T")

COMPILERS: dict[str, Callable[[Mapping[str, Any], str], Any]] = {
    PRODUCTS_KEY: compile_products,
    GROUPS_KEY: compile_groups,
    COLOUR_KEY: compile_colour,
    SCREENING_KEY: compile_screening,
    TARGETS_KEY: compile_targets,
}


class VaccinationConfig:
    """All rule versions of the vaccination families (national defaults plus province overrides)."""

    def __init__(self, versions: Iterable[RuleVersion]):
        self._versions = list(versions)
        keys = {version.key for version in self._versions}
        self._books = {key: RuleBook(key, self._versions) for key in keys}
        self._in_force: dict[tuple[str, date, str | None], RuleVersion] = {}
        self._compiled: dict[tuple[str, str, date, str | None, Callable[..., Any]], Any] = {}
        self._checked: dict[tuple[date, str | None], ProductsRule] = {}

    # --- the generic access every rules package has ------------------------------------------------
    @property
    def versions(self) -> list[RuleVersion]:
        return list(self._versions)

    def book(self, key: str) -> RuleBook:
        return self._books.get(key) or RuleBook(key, [])

    def rule(self, key: str, on: date, province: str | None = None) -> RuleVersion:
        """The version of ``key`` in force on ``on`` with ``province``'s override merged in.
        Raises ``core.versioning.NoRuleInForce`` when no national version covers ``on``."""
        slot = (key, on, province)
        found = self._in_force.get(slot)
        if found is None:
            found = self._in_force[slot] = self.book(key).in_force(on, province)
        return found

    def compiled(
        self, key: str, on: date, province: str | None, compile: Callable[[Mapping[str, Any], str], T]
    ) -> tuple[RuleVersion, T]:
        """``rule(...)`` plus its values compiled by ``compile``, once per version (not per date)."""
        version = self.rule(key, on, province)
        slot = (key, version.version, version.effective_from, version.province, compile)
        if slot not in self._compiled:
            where = f"{key} [{version.version}]"
            try:
                self._compiled[slot] = compile(version.values, where)
            except ConfigError:
                raise
            except (KeyError, TypeError, ValueError, AttributeError) as error:
                raise ConfigError(f"{where}: {error!r}") from error
        return version, self._compiled[slot]

    def with_versions(self, more: Iterable[RuleVersion]) -> VaccinationConfig:
        return VaccinationConfig([*self._versions, *more])

    def boundaries(self, key: str, start: date, end: date, province: str | None = None) -> list[date]:
        """``start`` plus every date in ``(start, end]`` on which a version of ``key`` begins or ends."""
        days = {start}
        for version in self.book(key).versions:
            if version.province not in (None, province):
                continue
            for edge in (version.effective_from, version.effective_to):
                if edge is not None and start < edge <= end:
                    days.add(edge)
        return sorted(days)

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
LAST_DAY = date(9999, 12, 31)


def validate_overrides(versions: Iterable[RuleVersion], config: VaccinationConfig | None = None) -> None:
    """Refuse (``ConfigError`` naming the family, version and day) a province's rule versions that do not
    compile over every national version they overlap, or that go below a national floor.  For the page
    that saves ``ProvinceVaccinationSetting.versions``: an override is checked when saved, not first
    when a dose is judged."""
    versions = list(versions)
    merged = resolve(config).with_versions(versions)
    for version in versions:
        where = f"{version.key} [{version.version}]"
        if version.key not in ACCESSORS:
            raise ConfigError(f"{where}: unknown vaccination rule family; expected one of {list(KEYS)}")
        if not version.province:
            raise ConfigError(f"{where}: a province's override must name its province")
        end = LAST_DAY if version.effective_to is None else version.effective_to - timedelta(days=1)
        for day in merged.boundaries(version.key, version.effective_from, end, version.province):
            try:
                ACCESSORS[version.key](merged, day, version.province)
            except NoRuleInForce:
                continue  # before the family's first national version the override is not in force
            except ConfigError as error:
                message = str(error) if day.isoformat() in str(error) else f"{error} (on {day.isoformat()})"
                raise ConfigError(message) from None


@cache
def default_config() -> VaccinationConfig:
    return VaccinationConfig(DEFAULT_VERSIONS)


def resolve(config: VaccinationConfig | None) -> VaccinationConfig:
    return default_config() if config is None else config


def version_from_dict(raw: Mapping[str, Any]) -> RuleVersion:
    """A ``RuleVersion`` of a vaccination family from JSON: dates as ``YYYY-MM-DD``."""
    return version_from_mapping(raw, error=ConfigError, families=KEYS, family_label="vaccination rule")
