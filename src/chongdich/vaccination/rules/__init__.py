"""Pure-Python rules of vaccination: the catalogue (products, intervals, ages, mixing, the additional
dose, boosters), priority groups, the PC-Covid colour, pre-vaccination screening and coverage
targets, all as versioned data (``core.versioning``: effective dates, province overrides).  No Django
import anywhere here; nothing of chongdich but ``chongdich.core.versioning``.

Public API (docs/vaccination/rules.md)::

    cfg = default_config()                     # cfg.with_versions(rule_versions) for province overrides
    cfg.products(on, province=None) -> dict[str, Product]
    cfg.groups(on, province=None) -> tuple[PriorityGroup, ...]
    cfg.coverage_target_pct(on, province=None) -> Fraction | int
    assess(person, as_of, cfg=None, *, province=None, at=None) -> Status
    check_new_dose(person, product, on, cfg=None, *, province=None) -> DoseVerdict
    screen(answers, cfg=None, on=None, *, province=None) -> ScreeningResult; QUESTIONS / questions(cfg, on)
    person_from_dict(json) / people_from_json(json) -> PersonIn / list[PersonIn]
    version_from_dict(json) -> RuleVersion; validate_overrides(versions) refuses a bad province override
"""

from __future__ import annotations

from chongdich.vaccination.rules.catalogue import (
    AdditionalRule,
    BoosterRule,
    ColourRule,
    Interval,
    PriorityGroup,
    Product,
    Question,
    VitalBound,
)
from chongdich.vaccination.rules.config import VaccinationConfig, default_config, validate_overrides, version_from_dict
from chongdich.vaccination.rules.defaults import AZ_FOUR_WEEKS, VACCINATION_START, az_four_weeks
from chongdich.vaccination.rules.errors import ConfigError, InputError
from chongdich.vaccination.rules.evaluate import (
    ADDITIONAL,
    BOOSTER,
    COLOUR_TEXT,
    COLOURS,
    DUE,
    KIND_TEXT,
    KINDS,
    NOT_YET,
    OVERDUE,
    PRIMARY,
    PROBLEM_CODES,
    PROBLEM_TEXT,
    DoseIn,
    DoseVerdict,
    PersonIn,
    Status,
    assess,
    check_new_dose,
    problem_text,
)
from chongdich.vaccination.rules.keys import COLOUR_KEY, GROUPS_KEY, KEYS, PRODUCTS_KEY, SCREENING_KEY, TARGETS_KEY
from chongdich.vaccination.rules.parsing import InputErrors, people_from_json, person_from_dict
from chongdich.vaccination.rules.screening import (
    OUTCOME_TEXT,
    QUESTIONS,
    ScreeningOutcome,
    ScreeningResult,
    questions,
    screen,
    vitals,
)

__all__ = [
    "ADDITIONAL",
    "AZ_FOUR_WEEKS",
    "BOOSTER",
    "COLOURS",
    "COLOUR_TEXT",
    "DUE",
    "KIND_TEXT",
    "NOT_YET",
    "OVERDUE",
    "COLOUR_KEY",
    "GROUPS_KEY",
    "KEYS",
    "KINDS",
    "OUTCOME_TEXT",
    "PRIMARY",
    "PROBLEM_CODES",
    "PROBLEM_TEXT",
    "PRODUCTS_KEY",
    "QUESTIONS",
    "SCREENING_KEY",
    "TARGETS_KEY",
    "VACCINATION_START",
    "AdditionalRule",
    "BoosterRule",
    "ColourRule",
    "ConfigError",
    "DoseIn",
    "DoseVerdict",
    "InputError",
    "InputErrors",
    "Interval",
    "PersonIn",
    "PriorityGroup",
    "Product",
    "Question",
    "ScreeningOutcome",
    "ScreeningResult",
    "Status",
    "VaccinationConfig",
    "VitalBound",
    "assess",
    "az_four_weeks",
    "check_new_dose",
    "default_config",
    "people_from_json",
    "person_from_dict",
    "problem_text",
    "questions",
    "screen",
    "validate_overrides",
    "version_from_dict",
    "vitals",
]
