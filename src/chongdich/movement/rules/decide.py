"""``advise``: the checkpoint decision (R-61) over the rule in force; the steps are in ``checkpoint``'s
docstring and docs/movement/rules.md."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from chongdich.core.versioning import NoRuleInForce
from chongdich.movement.rules.checkpoint import (
    NEGATIVE,
    POSITIVE,
    QUARANTINE,
    R_CARD_NO_TEST,
    R_CARD_TEST,
    R_CARDED,
    R_CARDS_ENDED,
    R_COLOUR_EXEMPT,
    R_EMERGENCY,
    R_FEVER,
    R_NO_DECLARATION,
    R_NO_TEST,
    R_NOT_REQUIRED,
    R_POSITIVE,
    R_TEST_EXPIRED,
    R_TEST_FUTURE,
    R_TEST_KIND,
    R_TEST_NO_TIME,
    R_VALID_TEST,
    R_WATCHED,
    SEVERITY,
    TESTED,
    THROUGH,
    VEHICLE,
    Advice,
    CheckpointRule,
    PassageIn,
    check_passage,
    local_date,
    test_valid,
)
from chongdich.movement.rules.config import resolve
from chongdich.movement.rules.errors import InputError, NotInForce
from chongdich.movement.rules.keys import CHECKPOINT_KEY


def _test_state(passage: PassageIn, rule: CheckpointRule) -> tuple[bool, str, datetime | None]:
    """(valid negative test?, reason, valid until)."""
    if passage.test_result != NEGATIVE:
        return False, R_NO_TEST, None
    if passage.test_kind and passage.test_kind not in rule.test_kinds:
        return False, R_TEST_KIND, None
    if passage.test_at is None:
        return False, R_TEST_NO_TIME, None
    hours = rule.hours_for(passage.test_kind) if passage.test_kind else rule.test_valid_hours
    until = passage.test_at + timedelta(hours=hours)
    if passage.test_at > passage.at:
        return False, R_TEST_FUTURE, until
    if not test_valid(passage.test_at, passage.at, hours):
        return False, R_TEST_EXPIRED, until
    return True, R_VALID_TEST, until


NOTES = frozenset({R_CARDS_ENDED, R_CARD_NO_TEST, R_WATCHED})  # said, but never the deciding reason


def advise(passage: PassageIn, cfg: Any = None, *, province: str | None = None, on: date | None = None) -> Advice:
    """The rule's advice for ``passage`` (R-61).  ``cfg``: a ``MovementConfig`` (default: the national
    defaults); ``on``: the local date (default: ``passage.at`` in Vietnam, UTC+7).  ``InputError`` on bad
    input; for a day before the first version ``NotInForce`` (field "at", code "no_rule_in_force"), which is
    both an ``InputError`` and a ``core.versioning.NoRuleInForce``."""
    temperature = check_passage(passage)
    day = local_date(passage.at) if on is None else on
    if isinstance(day, datetime):
        day = day.date()
    if not isinstance(day, date):
        raise InputError("at", "datetime_required")
    try:
        rule = resolve(cfg).checkpoint_rule(day, province)
    except NoRuleInForce:
        raise NotInForce(CHECKPOINT_KEY, day)
    steps: list[tuple[str, str]] = []
    ok, test_reason, until = _test_state(passage, rule)
    vehicle = passage.subject == VEHICLE

    def done(checked: bool = True) -> Advice:
        order = sorted(range(len(steps)), key=lambda i: (-SEVERITY[steps[i][0]], steps[i][1] in NOTES, i))
        action = steps[order[0]][0] if steps else THROUGH
        reasons = tuple(dict.fromkeys(steps[i][1] for i in order))
        return Advice(
            action,
            reasons,
            rule.version,
            checked or SEVERITY[action] > 0,
            until if passage.test_result == NEGATIVE else None,
        )

    if vehicle and passage.vehicle_type in rule.exempt_vehicle_types:
        steps.append((THROUGH, R_EMERGENCY))
        return done(checked=False)
    if passage.test_result == POSITIVE:
        steps.append((QUARANTINE, R_POSITIVE))
    if temperature is not None and temperature >= rule.fever_c:
        steps.append((TESTED, R_FEVER))
    if passage.from_watched_area:
        steps.append((rule.watched_area or THROUGH, R_WATCHED))
    carded = vehicle and passage.has_valid_card
    if carded and not rule.recognise_cards:
        steps.append((THROUGH, R_CARDS_ENDED))
        carded = False
    if carded and rule.carded_not_checked and passage.card_essential:
        steps.append((THROUGH, R_CARDED))
        return done(checked=False)
    if carded and rule.card_needs_driver_test:
        if ok:
            steps.append((THROUGH, R_CARD_TEST))
            return done(checked=False)
        steps.append((THROUGH, R_CARD_NO_TEST))
    if rule.declaration_required and not passage.declaration_shown:
        steps.append((rule.no_declaration, R_NO_DECLARATION))
    if not rule.test_required:
        steps.append((THROUGH, R_NOT_REQUIRED))
    elif passage.colour and passage.colour in rule.test_exempt_colours:
        steps.append((THROUGH, R_COLOUR_EXEMPT))
    elif ok:
        steps.append((THROUGH, R_VALID_TEST))
    elif passage.test_result != POSITIVE:
        steps.append((rule.no_test, test_reason))
    return done()
