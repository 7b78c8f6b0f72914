"""Release from isolation (R-54): day 7 with a negative rapid test, else day 10 (fully
vaccinated) or 14 (not); the pre-QĐ 250 default; hospital cases by clinical criteria."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chongdich.care.rules import InputError, ReleaseStatus, Vaccination, release_date

START = date(2022, 2, 1)  # day 1
FULL = [date(2021, 9, 1), date(2021, 10, 1)]
NOT_FULL = [date(2021, 9, 1)]


def day(n: int, start: date = START) -> date:
    return start + timedelta(days=n - 1)


@pytest.mark.parametrize(
    ("results", "vaccination", "as_of", "status", "release_day"),
    [
        ({7: "negative"}, FULL, day(7), ReleaseStatus.RELEASED, 7),
        ({7: "negative"}, NOT_FULL, day(7), ReleaseStatus.RELEASED, 7),
        ({7: "positive"}, FULL, day(7), ReleaseStatus.SCHEDULED, 10),
        ({7: "positive"}, NOT_FULL, day(7), ReleaseStatus.SCHEDULED, 14),
        ({7: "positive"}, FULL, day(10), ReleaseStatus.RELEASED, 10),
        ({7: "positive"}, NOT_FULL, day(13), ReleaseStatus.SCHEDULED, 14),
        ({7: "positive"}, NOT_FULL, day(14), ReleaseStatus.RELEASED, 14),
        ({7: "positive", 9: "negative"}, NOT_FULL, day(9), ReleaseStatus.SCHEDULED, 14),  # day 7 decided
        ({6: "negative"}, FULL, day(6), ReleaseStatus.AWAITING_TEST, None),  # too early: does not count
        ({6: "negative", 8: "negative"}, FULL, day(8), ReleaseStatus.RELEASED, 8),  # no day-7 test [D]
        ({}, FULL, day(5), ReleaseStatus.AWAITING_TEST, None),
        ({}, FULL, day(10), ReleaseStatus.RELEASED, 10),  # fallback day reached without a test
        ({}, None, day(13), ReleaseStatus.AWAITING_TEST, None),
        ({}, None, day(14), ReleaseStatus.RELEASED, 14),
        ({12: "negative"}, None, day(12), ReleaseStatus.RELEASED, 12),
        ({12: "negative"}, FULL, day(12), ReleaseStatus.RELEASED, 10),  # tests after the fallback day are moot
    ],
)
def test_qd_250(results, vaccination, as_of, status, release_day):
    decision = release_date(START, results, vaccination, as_of)
    assert decision.rule_version == "QĐ 250/QĐ-BYT"
    assert (decision.status, decision.day) == (status, release_day)
    assert decision.release_on == (None if release_day is None else day(release_day))
    assert decision.earliest_release_on == day(7)
    assert decision.reasons and all(r.rule == "R-54" for r in decision.reasons)


@pytest.mark.parametrize(("days_before_start", "fallback"), [(13, 14), (14, 10)])
def test_fully_vaccinated_needs_the_last_dose_14_days_before(days_before_start, fallback):
    vaccination = [START - timedelta(days=days_before_start + 30), START - timedelta(days=days_before_start)]
    decision = release_date(START, {7: "positive"}, vaccination, day(7))
    assert decision.day == fallback and decision.latest_release_on == day(fallback)


def test_awaiting_a_test_says_when():
    decision = release_date(START, {}, FULL, day(3))
    assert decision.next_test_on == day(7) and decision.latest_release_on == day(10)
    assert release_date(START, {}, FULL, day(8)).next_test_on == day(8)


def test_results_by_date_and_default_as_of():
    decision = release_date(START, {day(7): "negative"}, FULL)
    assert (decision.status, decision.release_on) == (ReleaseStatus.RELEASED, day(7))
    assert release_date(START).status is ReleaseStatus.AWAITING_TEST  # as of day 1


def test_results_after_as_of_are_ignored():
    decision = release_date(START, {7: "negative"}, FULL, day(6))
    assert decision.status is ReleaseStatus.AWAITING_TEST


def test_before_qd_250_the_default_needs_a_negative_test_from_day_10():
    start = date(2021, 12, 1)
    assert release_date(start, {10: "negative"}, FULL, day(10, start)).day == 10
    positive = release_date(start, {10: "positive"}, FULL, day(11, start))
    assert positive.status is ReleaseStatus.AWAITING_TEST and positive.latest_release_on is None
    later = release_date(start, {10: "positive", 12: "negative"}, FULL, day(12, start))
    assert (later.status, later.day) == (ReleaseStatus.RELEASED, 12)
    assert later.rule_version == "Thực tiễn Hà Nội cuối 2021 (mặc định)"


def test_version_boundary_28_january_2022():
    start = date(2022, 1, 20)
    assert release_date(start, {7: "negative"}, FULL, date(2022, 1, 27)).status is ReleaseStatus.AWAITING_TEST
    assert release_date(start, {7: "negative"}, FULL, date(2022, 1, 28)).day == 7


def test_hospital_by_clinical_criteria_and_facility_like_home():
    hospital = release_date(START, {7: "negative"}, FULL, day(7), place="hospital")
    assert (hospital.status, hospital.release_on) == (ReleaseStatus.CLINICAL, None)
    assert release_date(START, {7: "negative"}, FULL, day(7), place="facility").day == 7
    assert release_date(date(2021, 5, 1), {}, FULL, date(2021, 5, 20)).status is ReleaseStatus.CLINICAL


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"rat_results": {0: "negative"}}, "rat_results"),
        ({"rat_results": {7: "unclear"}}, "rat_results"),
        ({"rat_results": {"7": "negative"}}, "rat_results"),
        ({"rat_results": {7: "negative", day(7): "positive"}}, "rat_results"),
        ({"place": "hotel"}, "place"),
        ({"as_of": date(2022, 1, 1)}, "as_of"),
        (
            {"vaccination": Vaccination.summary(2, date(2022, 3, 1)), "rat_results": {7: "positive"}},
            "vaccination.last_dose",
        ),
    ],
)
def test_input_validation(kwargs, field):
    with pytest.raises(InputError) as raised:
        release_date(START, **kwargs)
    assert raised.value.field == field
