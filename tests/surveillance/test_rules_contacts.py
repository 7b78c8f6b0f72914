"""Infectious period (§4.1), F1 (R-50) and F2 (R-51) classification with their exact boundaries."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from chongdich.core.versioning import RuleVersion
from chongdich.surveillance.rules import (
    ContactLevel,
    Exposure,
    InputError,
    classify_exposure,
    classify_secondary,
    default_config,
    infectious_period,
)
from chongdich.surveillance.rules.config import F1_KEY, INFECTIOUS_KEY

F1, F2 = ContactLevel.F1, ContactLevel.F2
D = date


# --- infectious period -----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("onset", "positive", "negative", "ct", "start", "last", "anchor"),
    [
        (D(2022, 3, 10), None, None, None, D(2022, 3, 8), None, "onset"),
        (None, D(2022, 3, 10), None, None, D(2022, 3, 8), None, "positive_sample"),
        (D(2022, 3, 10), D(2022, 3, 11), None, None, D(2022, 3, 8), None, "onset"),
        # pre-symptomatic positive: the earlier anchor wins [D]
        (D(2022, 3, 12), D(2022, 3, 10), None, None, D(2022, 3, 8), None, "positive_sample"),
        (D(2022, 3, 10), None, D(2022, 3, 20), None, D(2022, 3, 8), D(2022, 3, 20), "onset"),
        (D(2022, 3, 10), None, D(2022, 3, 20), D(2022, 3, 18), D(2022, 3, 8), D(2022, 3, 18), "onset"),
        (D(2022, 3, 10), None, None, D(2022, 3, 18), D(2022, 3, 8), D(2022, 3, 18), "onset"),
        (datetime(2022, 3, 10, 21, 30), None, None, None, D(2022, 3, 8), None, "onset"),
    ],
)
def test_infectious_period(onset, positive, negative, ct, start, last, anchor):
    period = infectious_period(onset, positive, negative, ct)
    assert (period.start, period.last_day, period.anchor) == (start, last, anchor)
    assert period.rule_version and period.reasons


def test_infectious_period_onset_first_reading_is_configurable():
    override = RuleVersion(INFECTIOUS_KEY, "Tỉnh 70", D(2020, 1, 1), None, {"anchor": "onset_first"}, province="70")
    config = default_config().with_versions([override])
    period = infectious_period(D(2022, 3, 12), D(2022, 3, 10), config=config, province="70")
    assert (period.start, period.anchor) == (D(2022, 3, 10), "onset")


def test_infectious_period_end_day_inclusive_is_configurable():
    override = RuleVersion(INFECTIOUS_KEY, "Tỉnh 70", D(2020, 1, 1), None, {"end_inclusive": False}, province="70")
    config = default_config().with_versions([override])
    assert infectious_period(D(2022, 3, 10), None, D(2022, 3, 20)).last_day == D(2022, 3, 20)
    assert infectious_period(D(2022, 3, 10), None, D(2022, 3, 20), config=config, province="70").last_day == D(
        2022, 3, 19
    )


@pytest.mark.parametrize(
    ("args", "field"),
    [
        ((None, None), "onset_date"),
        ((D(2022, 3, 10), None, D(2022, 3, 7)), "first_negative_date"),
        ((D(2022, 3, 10), None, None, D(2022, 3, 1)), "ct_above_30_date"),
        (("2022-03-10", None), "onset_date"),
    ],
)
def test_infectious_period_refuses_bad_input(args, field):
    with pytest.raises(InputError) as raised:
        infectious_period(*args)
    assert raised.value.field == field and raised.value.vi and raised.value.en


# --- F1 (R-50) -------------------------------------------------------------------------------
OPEN = infectious_period(D(2021, 1, 1), None)  # infectious from 30/12/2020, still infectious
CLOSED = infectious_period(D(2022, 3, 1), None, D(2022, 3, 10))  # 27/2 … 10/3/2022


MARCH_5 = D(2022, 3, 5)


def ex(kind, on=MARCH_5, **kw):
    return Exposure(kind, on, **kw)


@pytest.mark.parametrize(
    ("exposure", "level", "condition"),
    [
        # D = 2 m before 15/4/2022, 1 m from 15/4/2022 (at 1.5 m the date decides)
        (ex("close_unmasked", D(2022, 4, 14), distance_m=1.5), F1, "unmasked_near"),
        (ex("close_unmasked", D(2022, 4, 15), distance_m=1.5), None, "too_far"),
        (ex("close_unmasked", D(2022, 4, 15), distance_m=1.0), F1, "unmasked_near"),
        (ex("close_unmasked", D(2022, 4, 15), distance_m=1.01), None, "too_far"),
        (ex("close_unmasked", D(2022, 4, 14), distance_m=2.0), F1, "unmasked_near"),
        (ex("close_unmasked", D(2022, 4, 14), distance_m=2.01), None, "too_far"),
        (ex("close_unmasked", D(2021, 9, 1), distance_m=1.5), F1, "unmasked_near"),
        # masked: from 15 minutes
        (ex("close_masked", distance_m=1, duration_min=14), None, "too_short"),
        (ex("close_masked", distance_m=1, duration_min=15), F1, "masked_near"),
        (ex("close_masked", distance_m=1, duration_min=14.99), None, "too_short"),
        (ex("close_masked", distance_m=3, duration_min=60), None, "too_far"),
        (ex("close_unmasked", distance_m=1, duration_min=1), F1, "unmasked_near"),
        (ex("close_masked", distance_m=1), None, "masked_near"),  # duration not recorded: undetermined
        # the tracer's "close" without a distance counts as within D [D]
        (ex("close_unmasked"), F1, "unmasked_near"),
        # conditions (1) and (4): no distance or time needed
        (ex("physical_contact", distance_m=5), F1, "physical_contact"),
        (ex("care_without_ppe"), F1, "care_without_ppe"),
        # household = same small enclosed space
        (ex("household", masked=False), F1, "unmasked_near"),
        (ex("household"), F1, "unmasked_near"),  # mask not recorded → unmasked [D]
        (ex("household", masked=True, duration_min=10), None, "too_short"),
        (ex("household", masked=True, duration_min=15), F1, "masked_near"),
        (ex("same_enclosed_space", distance_m=5, masked=False), F1, "unmasked_near"),
        (ex("same_enclosed_space", distance_m=5, masked=True, duration_min=15), F1, "masked_near"),
        # other: judged on distance, mask and duration
        (ex("other", distance_m=0.5, masked=False), F1, "unmasked_near"),
        (ex("other", distance_m=0.5, masked=True, duration_min=20), F1, "masked_near"),
        (ex("other", distance_m=2.5, masked=False), None, "too_far"),
        (ex("other", masked=False), None, "unmasked_near"),
        # duration derived from start and end datetimes [D]
        (
            Exposure("close_masked", datetime(2022, 3, 5, 9, 0), datetime(2022, 3, 5, 9, 15), distance_m=1),
            F1,
            "masked_near",
        ),
        (
            Exposure("close_masked", datetime(2022, 3, 5, 9, 0), datetime(2022, 3, 5, 9, 14), distance_m=1),
            None,
            "too_short",
        ),
    ],
)
def test_classify_exposure(exposure, level, condition):
    decision = classify_exposure(exposure, OPEN)
    assert decision.level is level
    assert decision.condition == condition
    assert decision.rule_version in ("Định nghĩa F1 (29/12/2021)", "CV 1909/BYT-DP", "Định nghĩa F1 (trước 29/12/2021)")
    assert decision.reasons and all(r.rule == "R-50" and r.vi and r.en for r in decision.reasons)


@pytest.mark.parametrize(
    ("exposure", "missing"),
    [
        (ex("close_masked", distance_m=1), ["duration_min"]),
        (ex("other", masked=False), ["distance_m"]),
        (ex("household", masked=True), ["duration_min"]),
    ],
)
def test_undetermined_exposure_names_the_missing_input(exposure, missing):
    decision = classify_exposure(exposure, OPEN)
    assert decision.level is None and decision.missing == missing
    assert "thiếu" in decision.reasons[0].vi


def test_reasons_name_the_rule_version_and_values():
    decision = classify_exposure(ex("close_unmasked", D(2022, 4, 15), distance_m=1.5), OPEN)
    assert decision.rule_version == "CV 1909/BYT-DP"
    assert decision.reasons[0].text() == "R-50: khoảng cách 1,5 m > 1 m với F0 → không phải F1 (theo CV 1909/BYT-DP)"
    assert "1.5 m > 1 m" in decision.reasons[0].en


@pytest.mark.parametrize(
    ("on", "level", "condition"),
    [
        (D(2022, 2, 26), None, "outside_period"),  # day before the start
        (D(2022, 2, 27), F1, "unmasked_near"),  # first infectious day
        (D(2022, 3, 10), F1, "unmasked_near"),  # day of the negative sample (inclusive [D])
        (D(2022, 3, 11), None, "outside_period"),
    ],
)
def test_exposure_must_overlap_the_infectious_period(on, level, condition):
    decision = classify_exposure(ex("close_unmasked", on, distance_m=1), CLOSED)
    assert (decision.level, decision.condition) == (level, condition)


def test_exposure_spanning_days_overlaps_partly():
    exposure = Exposure("household", D(2022, 2, 20), D(2022, 2, 27))
    assert classify_exposure(exposure, CLOSED).level is F1


def test_exposure_spanning_the_change_of_definition_counts_under_the_earlier_one():
    period = infectious_period(D(2022, 4, 10), None)
    exposure = Exposure("close_unmasked", D(2022, 4, 14), D(2022, 4, 15), distance_m=1.5)
    decision = classify_exposure(exposure, period)
    assert decision.level is F1 and decision.rule_version == "Định nghĩa F1 (29/12/2021)"
    late = Exposure("close_unmasked", D(2022, 4, 15), D(2022, 4, 16), distance_m=1.5)
    assert classify_exposure(late, period).level is None
    # only the part inside the infectious period is judged
    short = infectious_period(D(2022, 4, 10), None, D(2022, 4, 14))
    assert classify_exposure(late, short).condition == "outside_period"


def test_unknown_mask_can_be_left_undetermined_by_configuration():
    override = RuleVersion(F1_KEY, "Tỉnh 70", D(2020, 1, 1), None, {"unknown_mask_as_unmasked": False}, province="70")
    config = default_config().with_versions([override])
    short = classify_exposure(ex("household", duration_min=10), OPEN, config, province="70")
    long = classify_exposure(ex("household", duration_min=15), OPEN, config, province="70")
    assert (short.level, short.missing) == (None, ["masked"])
    assert long.level is F1


def test_province_distance_override():
    override = RuleVersion(F1_KEY, "Tỉnh 70: 2 m", D(2022, 4, 15), None, {"distance_m": 2}, province="70")
    config = default_config().with_versions([override])
    exposure = ex("close_unmasked", D(2022, 5, 1), distance_m=1.5)
    period = infectious_period(D(2022, 4, 28), None)
    assert classify_exposure(exposure, period, config).level is None
    decided = classify_exposure(exposure, period, config, province="70")
    assert decided.level is F1 and decided.rule_version == "CV 1909/BYT-DP + Tỉnh 70: 2 m"


# --- F2 (R-51) -------------------------------------------------------------------------------
F1_EXPOSED, F1_ISOLATED = D(2021, 9, 1), D(2021, 9, 4)


@pytest.mark.parametrize(
    ("exposure", "isolation", "level", "condition"),
    [
        (ex("close_unmasked", D(2021, 9, 2), distance_m=1.8), F1_ISOLATED, F2, "within"),
        (ex("close_masked", D(2021, 9, 2), distance_m=2.0, duration_min=1), F1_ISOLATED, F2, "within"),
        (ex("close_unmasked", D(2021, 9, 2), distance_m=2.5), F1_ISOLATED, None, "too_far"),
        (ex("close_unmasked", D(2021, 8, 31), distance_m=1), F1_ISOLATED, None, "outside_window"),
        (ex("close_unmasked", D(2021, 9, 1), distance_m=1), F1_ISOLATED, F2, "within"),
        (ex("close_unmasked", D(2021, 9, 4), distance_m=1), F1_ISOLATED, F2, "within"),  # isolation day [D]
        (ex("close_unmasked", D(2021, 9, 5), distance_m=1), F1_ISOLATED, None, "outside_window"),
        (ex("close_unmasked", D(2021, 9, 20), distance_m=1), None, F2, "within"),  # not isolated yet
        (ex("household", D(2021, 9, 2)), F1_ISOLATED, F2, "shared_space"),
        (ex("same_enclosed_space", D(2021, 9, 2)), F1_ISOLATED, F2, "shared_space"),
        (ex("physical_contact", D(2021, 9, 2)), F1_ISOLATED, F2, "physical_contact"),
        (ex("close_masked", D(2021, 9, 2)), F1_ISOLATED, F2, "close"),
        (ex("other", D(2021, 9, 2)), F1_ISOLATED, None, "within"),
        (ex("close_unmasked", D(2022, 5, 2), distance_m=1.5), None, F2, "within"),  # F2 stays 2 m after 1909
    ],
)
def test_classify_secondary(exposure, isolation, level, condition):
    decision = classify_secondary(exposure, F1_EXPOSED, isolation)
    assert (decision.level, decision.condition) == (level, condition)
    assert decision.reasons and decision.reasons[0].rule == "R-51"
    assert decision.rule_version.startswith("QĐ 3638")


def test_classify_secondary_refuses_isolation_before_exposure():
    with pytest.raises(InputError):
        classify_secondary(ex("household", D(2021, 9, 2)), D(2021, 9, 5), D(2021, 9, 4))


# --- exposure validation ---------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": "hug"}, "kind"),
        ({"kind": "household", "distance_m": -1}, "distance_m"),
        ({"kind": "household", "duration_min": float("nan")}, "duration_min"),
        ({"kind": "household", "end": D(2022, 3, 4)}, "end"),
        ({"kind": "close_masked", "masked": False}, "masked"),
        ({"kind": "close_unmasked", "masked": True}, "masked"),
        ({"kind": "household", "masked": "yes"}, "masked"),
        ({"kind": "household", "start": "2022-03-05"}, "start"),
    ],
)
def test_exposure_validation(kwargs, field):
    kwargs = {"start": D(2022, 3, 5), **kwargs}
    with pytest.raises(InputError) as raised:
        Exposure(**kwargs)
    assert raised.value.field == field
