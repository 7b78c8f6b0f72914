"""R-61, the checkpoint decision, on the day before and the day of every change of version, plus the
edges: test validity from the RESULT time (72 h inclusive), a positive test, fever, emergency vehicles,
expired cards, the local (UTC+7) date, province overrides and refused input."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.movement.rules import (
    ADVICE_REASONS,
    CHECKPOINT_KEY,
    InputError,
    PassageIn,
    advise,
    default_config,
    reason_text,
)
from chongdich.movement.rules.defaults import (
    D_128,
    D_2118,
    D_4977,
    D_7630,
    D_GATEWAYS,
    D_NOT_CHECKED,
    EPIDEMIC_START,
)

ICT = timezone(timedelta(hours=7))


def local(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), ICT)


def scenarios(at: datetime) -> dict[str, PassageIn]:
    fresh = at - timedelta(hours=20)
    test = {"test_result": "negative", "test_kind": "pcr", "test_at": fresh}
    return {
        "card_essential": PassageIn(at=at, vehicle_type="truck", has_valid_card=True, card_essential=True),
        "card_driver_test": PassageIn(at=at, vehicle_type="truck", has_valid_card=True, **test),
        "card_no_test": PassageIn(at=at, vehicle_type="truck", has_valid_card=True, declaration_shown=True),
        "no_card_test": PassageIn(at=at, vehicle_type="car", declaration_shown=True, people_on_board=4, **test),
        "no_card_no_test": PassageIn(at=at, vehicle_type="car", declaration_shown=True),
        "red_no_test": PassageIn(at=at, subject="person", declaration_shown=True, colour="red"),
        "green_no_test": PassageIn(at=at, subject="person", declaration_shown=True, colour="green"),
        "no_declaration": PassageIn(at=at, vehicle_type="motorbike", **test),
    }


NAMES = list(scenarios(local(date(2021, 8, 1))))
T, X, B = "through", "tested", "turned_back"
EXPECTED = {  # version -> actions in the order of NAMES
    "Chốt 2020": (B, B, T, T, T, T, T, B),
    "Chốt cửa ngõ 9/7/2021": (B, B, B, T, B, B, B, B),
    "4977/TCĐBVN-VT": (B, T, B, T, B, B, B, B),
    "7630/BGTVT-VT": (B, T, B, T, B, B, B, B),
    "5187/VPCP-CN (30/7/2021)": (T, T, B, T, B, B, B, B),
    "NQ 128/NQ-CP": (X, B, X, T, X, X, T, B),  # tested on site outranks turned back
    "2118/BYT-DP": (T, T, T, T, T, T, T, T),
}
BOUNDARIES = [
    (D_GATEWAYS, "Chốt 2020", "Chốt cửa ngõ 9/7/2021"),
    (D_4977, "Chốt cửa ngõ 9/7/2021", "4977/TCĐBVN-VT"),
    (D_7630, "4977/TCĐBVN-VT", "7630/BGTVT-VT"),
    (D_NOT_CHECKED, "7630/BGTVT-VT", "5187/VPCP-CN (30/7/2021)"),
    (D_128, "5187/VPCP-CN (30/7/2021)", "NQ 128/NQ-CP"),
    (D_2118, "NQ 128/NQ-CP", "2118/BYT-DP"),
]
DAYS = [
    pytest.param(day - timedelta(days=offset), version, id=f"{day - timedelta(days=offset)}")
    for day, before, after in BOUNDARIES
    for offset, version in ((1, before), (0, after))
] + [pytest.param(EPIDEMIC_START, "Chốt 2020", id=str(EPIDEMIC_START))]


@pytest.mark.parametrize(("day", "version"), DAYS)
def test_each_version_on_the_day_before_and_the_day_of_its_change(day, version):
    at = local(day)
    got = {name: advise(passage) for name, passage in scenarios(at).items()}
    assert {advice.version for advice in got.values()} == {version}
    assert tuple(got[name].action for name in NAMES) == EXPECTED[version]
    for advice in got.values():
        assert advice.reasons and all(reason in ADVICE_REASONS for reason in advice.reasons)


def test_the_version_changes_at_local_midnight():
    """00:00 30/7/2021 in Vietnam is 17:00 UTC on the 29th."""
    carded = PassageIn(at=datetime(2021, 7, 29, 16, 59, tzinfo=UTC), has_valid_card=True, card_essential=True)
    assert advise(carded).version == "7630/BGTVT-VT" and advise(carded).action == B
    midnight = replace(carded, at=datetime(2021, 7, 29, 17, 0, tzinfo=UTC))
    assert advise(midnight) == advise(midnight)
    assert (advise(midnight).version, advise(midnight).action, advise(midnight).checked) == (
        "5187/VPCP-CN (30/7/2021)",
        T,
        False,
    )
    naive = replace(carded, at=datetime(2021, 7, 30, 0, 0))  # a naive time is read as local
    assert advise(naive).version == "5187/VPCP-CN (30/7/2021)"
    assert advise(carded, on=date(2021, 7, 30)).version == "5187/VPCP-CN (30/7/2021)"


AT = local(date(2021, 8, 10))


def with_test(hours_before: float, kind: str = "pcr", **more) -> PassageIn:
    return PassageIn(
        at=AT,
        declaration_shown=True,
        test_result="negative",
        test_kind=kind,
        test_at=AT - timedelta(hours=hours_before),
        **more,
    )


@pytest.mark.parametrize(
    ("hours", "action", "reason"),
    [
        (0, T, "valid_test"),
        (71.99, T, "valid_test"),
        (72, T, "valid_test"),  # ≤ 72 h: inclusive
        (72 + 1 / 60, B, "test_expired"),
        (200, B, "test_expired"),
        (-0.5, B, "test_in_future"),
    ],
)
def test_test_validity_counts_from_the_result_time(hours, action, reason):
    advice = advise(with_test(hours))
    assert (advice.action, advice.reasons[0]) == (action, reason)
    assert advice.test_valid_until == AT - timedelta(hours=hours) + timedelta(hours=72)


def test_a_test_without_its_result_time_does_not_count():
    advice = advise(replace(with_test(1), test_at=None))
    assert (advice.action, advice.reasons) == (B, ("test_time_missing",))


@pytest.mark.parametrize("day", [date(2021, 7, 1), D_NOT_CHECKED, D_128, D_2118 + timedelta(days=30)])
def test_a_positive_test_sends_to_quarantine_in_every_version(day):
    at = local(day)
    for passage in scenarios(at).values():
        positive = replace(passage, test_result="positive", test_at=at - timedelta(hours=1))
        advice = advise(positive)
        assert (advice.action, advice.reasons[0], advice.checked) == ("quarantine", "positive_test", True)


@pytest.mark.parametrize(
    ("temperature", "action"),
    [(None, T), (Decimal("36.5"), T), (Decimal("37.4"), T), (Decimal("37.5"), X), ("38.2", X), (39, X)],
)
def test_a_fever_is_tested_on_site(temperature, action):
    for day in (date(2021, 8, 1), D_2118):
        carded = PassageIn(at=local(day), has_valid_card=True, card_essential=True, temperature=temperature)
        advice = advise(carded)
        assert advice.action == action
        if day < D_128:
            assert advice.checked is (action != T)  # a carded essential-goods vehicle is stopped only for a fever
        if action == X:
            assert advice.reasons[0] == "fever"


def test_an_expired_or_revoked_card_is_no_card():
    """The caller says whether the card is valid on the day; without it the vehicle is checked."""
    at = local(date(2021, 8, 1))
    advice = advise(PassageIn(at=at, has_valid_card=False, card_essential=True, declaration_shown=True))
    assert (advice.action, advice.reasons) == (B, ("no_test",))


def test_a_card_only_helps_a_vehicle():
    at = local(date(2021, 8, 1))
    on_foot = PassageIn(at=at, subject="person", has_valid_card=True, card_essential=True, declaration_shown=True)
    assert advise(on_foot).action == B


def test_a_carded_vehicle_without_essential_goods_needs_the_drivers_test():
    at = local(date(2021, 8, 1))
    advice = advise(PassageIn(at=at, has_valid_card=True, card_essential=False, declaration_shown=True))
    assert advice.action == B and advice.reasons == ("no_test", "card_without_test")


def test_after_nq128_cards_are_not_recognised():
    at = local(date(2021, 11, 1))
    advice = advise(PassageIn(at=at, has_valid_card=True, card_essential=True, declaration_shown=True, colour="green"))
    assert (advice.action, advice.reasons) == (T, ("colour_exempt", "cards_ended"))
    yellow = advise(PassageIn(at=at, subject="person", declaration_shown=True, colour="yellow"))
    unknown = advise(PassageIn(at=at, subject="person", declaration_shown=True, colour=""))
    assert (yellow.action, unknown.action, unknown.reasons) == (T, X, ("no_test",))


def test_an_emergency_vehicle_goes_through_unchecked():
    advice = advise(PassageIn(at=AT, vehicle_type="ambulance", test_result="positive", test_at=AT))
    assert (advice.action, advice.reasons, advice.checked) == (T, ("emergency_vehicle",), False)


def test_an_origin_on_the_watch_list_is_noted_and_a_province_may_act_on_it():
    passage = replace(with_test(5), from_watched_area=True)
    advice = advise(passage)
    assert (advice.action, advice.reasons) == (T, ("valid_test", "watched_origin"))
    override = RuleVersion(CHECKPOINT_KEY, "HCM cách ly", date(2021, 7, 1), None, {"watched_area": "quarantine"}, "79")
    cfg = default_config().with_versions([override])
    strict = advise(passage, cfg, province="79")
    assert (strict.action, strict.reasons[0]) == ("quarantine", "watched_origin")
    assert strict.version == "5187/VPCP-CN (30/7/2021) + HCM cách ly"
    assert advise(passage, cfg, province="01").action == T  # another province keeps the national rule


def test_a_province_shortens_the_validity_to_48_hours():
    override = RuleVersion(CHECKPOINT_KEY, "Tỉnh 01: 48 giờ", date(2021, 8, 5), None, {"test_valid_hours": 48}, "01")
    cfg = default_config().with_versions([override])
    assert advise(with_test(50), cfg).action == T
    assert advise(with_test(50), cfg, province="01").reasons[0] == "test_expired"
    assert advise(with_test(48), cfg, province="01").action == T
    earlier = replace(with_test(50), at=local(date(2021, 8, 4)), test_at=local(date(2021, 8, 4)) - timedelta(hours=50))
    assert advise(earlier, cfg, province="01").action == T  # before the override's first day


def test_a_province_sets_validity_per_kind_and_the_kinds_it_accepts():
    per_kind = RuleVersion(
        CHECKPOINT_KEY, "RAT 24 giờ", date(2021, 8, 1), None, {"test_valid_hours_by_kind": {"rat": 24}}, "01"
    )
    pcr_only = RuleVersion(CHECKPOINT_KEY, "Chỉ PCR", date(2021, 8, 1), None, {"test_kinds": ["pcr"]}, "02")
    cfg = default_config().with_versions([per_kind, pcr_only])
    assert advise(with_test(30, "rat"), cfg, province="01").reasons[0] == "test_expired"
    assert advise(with_test(30, "pcr"), cfg, province="01").action == T
    assert advise(with_test(30, "rat"), cfg, province="02").reasons[0] == "test_kind_not_accepted"
    assert advise(with_test(30, ""), cfg, province="02").action == T  # kind not recorded: the hours decide


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"at": "2021-08-01"}, "at", "datetime_required"),
        ({"subject": "dog"}, "subject", "choice_unknown"),
        ({"test_result": "maybe"}, "test_result", "choice_unknown"),
        ({"test_kind": "blood"}, "test_kind", "choice_unknown"),
        ({"colour": "blue"}, "colour", "choice_unknown"),
        ({"vehicle_type": "x" * 21}, "vehicle_type", "choice_unknown"),
        ({"people_on_board": 0}, "people_on_board", "people_range"),
        ({"people_on_board": 201}, "people_on_board", "people_range"),
        ({"people_on_board": True}, "people_on_board", "people_range"),
        ({"temperature": Decimal("3.75")}, "temperature", "temperature_range"),
        ({"temperature": "NaN"}, "temperature", "temperature_range"),
        ({"temperature": "hot"}, "temperature", "temperature_range"),
        ({"temperature": 99}, "temperature", "temperature_range"),
        ({"test_at": datetime(2021, 8, 1, 9)}, "test_at", "datetime_mixed"),
        ({"test_at": "yesterday"}, "test_at", "datetime_required"),
        ({"at": local(date(2019, 12, 31))}, "at", "no_rule_in_force"),
    ],
)
def test_bad_input_is_refused_with_a_code(change, field, code):
    with pytest.raises(InputError) as raised:
        advise(replace(with_test(1), **change))
    assert (raised.value.field, raised.value.code) == (field, code)
    assert reason_text(code, "vi") != code


def test_every_reason_and_action_has_words_in_both_languages():
    for code in (*ADVICE_REASONS, "through", "tested", "turned_back", "quarantine"):
        vi, en = reason_text(code, "vi"), reason_text(code, "en")
        assert vi != code and en != code and vi != en
    assert reason_text("no_such_code", "vi") == "no_such_code"
    assert reason_text("plate_province", "en-GB", province="13") == "No province has plate code 13."
