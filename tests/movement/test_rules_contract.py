"""The movement rules' public API imports without Django and answers the contract's examples."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from chongdich.movement.rules import (
    EXPOSURES,
    SYMPTOMS,
    Advice,
    PassageIn,
    advise,
    checkin_window,
    default_config,
    is_symptomatic,
    normalise_plate,
    overlaps,
    plate_display,
    reason_text,
    watched,
)
from chongdich.movement.rules import (
    test_valid as result_valid,
)


def test_contract_examples():
    assert normalise_plate("51C-123.45") == "51C12345"
    assert plate_display("51C12345") == "51C-123.45"
    assert {c.code for c in SYMPTOMS} >= {"fever", "cough", "dyspnoea", "sore_throat", "taste_smell", "fatigue"}
    assert {c.code for c in EXPOSURES} >= {"contact_case", "epidemic_area"}
    assert is_symptomatic(["fever"]) and not is_symptomatic([])
    at = datetime(2021, 8, 2, 8, tzinfo=UTC)
    advice = advise(PassageIn(at=at, has_valid_card=True, card_essential=True), default_config())
    assert isinstance(advice, Advice) and advice.action == "through"
    assert reason_text(advice.reasons[0], "en")
    assert result_valid(at - timedelta(hours=72), at, 72) and not result_valid(at - timedelta(hours=73), at, 72)
    assert watched("red", ("79",), set(), set()) and watched(None, ("79", "760"), set(), {"760"})
    window = checkin_window(at, None, 60, 30)
    assert window == (at - timedelta(minutes=30), at + timedelta(minutes=90))
    assert overlaps(window, (at + timedelta(minutes=90), at + timedelta(hours=5)))
