"""Pure rules of movement: Vietnamese number plates, the checkpoint decision (R-61: 4977/TCĐBVN-VT,
7630/BGTVT-VT, the 30/7/2021 rule of CV 5187/VPCP-CN, the end of the green lanes after NQ 128), the
symptoms and exposures of the health declaration, which arrivals are watched, and the time windows of
venue check-ins.  No Django import anywhere here; nothing of chongdich but ``chongdich.core.versioning``.

Public API (docs/movement/rules.md)::

    normalise_plate(text) -> "51C12345"; plate_display(stored, vehicle_type="") -> "51C-123.45"
    parse_plate(text, vehicle_type="") -> Plate(stored, display, kind, province, series, number)
    SYMPTOMS, EXPOSURES: tuple[Code(code, name_vi, name_en)]; is_symptomatic(codes); clean_symptoms(codes)
    cfg = default_config()                  # cfg.with_versions(province_versions)
    cfg.checkpoint_rule(on, province=None) -> CheckpointRule
    advise(PassageIn(...), cfg=None, *, province=None, on=None) -> Advice(action, reasons, version, …)
    test_valid(result_at, at, hours=72); reason_text(code, lang)
    watched(origin_colour, origin_codes, levels, watched_units)
    checkin_window(at, out_at, stay_minutes, margin) -> (start, end); overlaps(a, b); checkin_at_bounds
    InputError(field, code) — every bad input; ConfigError — a malformed rule version
"""

from __future__ import annotations

from chongdich.movement.rules.catalogue import (
    EXPOSURE_CODES,
    EXPOSURES,
    SYMPTOM_CODES,
    SYMPTOMS,
    Code,
    clean_exposures,
    clean_symptoms,
    exposure_name,
    is_symptomatic,
    symptom_name,
)
from chongdich.movement.rules.checkpoint import (
    ACTIONS,
    ADVICE_REASONS,
    QUARANTINE,
    TESTED,
    THROUGH,
    TURNED_BACK,
    Advice,
    CheckpointRule,
    PassageIn,
    check_passage,
    local_date,
    test_valid,
)
from chongdich.movement.rules.config import MovementConfig, default_config, validate_overrides, version_from_dict
from chongdich.movement.rules.decide import advise
from chongdich.movement.rules.defaults import DEFAULT_VERSIONS, EPIDEMIC_START
from chongdich.movement.rules.errors import ConfigError, InputError, NotInForce
from chongdich.movement.rules.keys import CHECKPOINT_KEY, KEYS
from chongdich.movement.rules.plates import PROVINCE_CODES, Plate, normalise_plate, parse_plate, plate_display
from chongdich.movement.rules.texts import REASONS, reason_text
from chongdich.movement.rules.watch import (
    DEFAULT_ALERT_LEVELS,
    MAX_STAY,
    alert_colours,
    checkin_at_bounds,
    checkin_window,
    level_colour,
    overlaps,
    watched,
)

__all__ = [
    "ACTIONS",
    "ADVICE_REASONS",
    "CHECKPOINT_KEY",
    "DEFAULT_ALERT_LEVELS",
    "DEFAULT_VERSIONS",
    "EPIDEMIC_START",
    "EXPOSURES",
    "EXPOSURE_CODES",
    "KEYS",
    "MAX_STAY",
    "PROVINCE_CODES",
    "QUARANTINE",
    "REASONS",
    "SYMPTOMS",
    "SYMPTOM_CODES",
    "TESTED",
    "THROUGH",
    "TURNED_BACK",
    "Advice",
    "CheckpointRule",
    "Code",
    "ConfigError",
    "InputError",
    "MovementConfig",
    "NotInForce",
    "PassageIn",
    "Plate",
    "advise",
    "alert_colours",
    "check_passage",
    "checkin_at_bounds",
    "checkin_window",
    "clean_exposures",
    "clean_symptoms",
    "default_config",
    "exposure_name",
    "is_symptomatic",
    "level_colour",
    "local_date",
    "normalise_plate",
    "overlaps",
    "parse_plate",
    "plate_display",
    "reason_text",
    "symptom_name",
    "test_valid",
    "validate_overrides",
    "version_from_dict",
    "watched",
]
