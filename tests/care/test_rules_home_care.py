"""Home-care eligibility (R-53) under QĐ 4038 and QĐ 261, with the RR = 20 / SpO2 = 96 boundary."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from chongdich.care.rules import Comorbidity, HomeCareInputs, InputError, Severity, home_care_eligibility

V4038 = date(2021, 10, 1)
V261 = date(2022, 2, 15)

# Eligible under both versions: young, vaccinated, normal vital signs, can self-care.
BASE = HomeCareInputs(
    age=30,
    severity=Severity.MILD,
    respiratory_rate=18,
    spo2=98,
    abnormal_breathing=False,
    vaccinated_doses=2,
    last_dose_date=date(2021, 6, 1),
    comorbidity=Comorbidity.NONE,
    pregnant=False,
    can_self_care=True,
    has_carer=False,
    reachable=True,
)


def eligible(inputs: HomeCareInputs, on: date) -> bool:
    return home_care_eligibility(inputs, on).eligible


@pytest.mark.parametrize(
    ("rr", "spo2", "under_4038", "under_261"),
    [
        (20, 96, True, False),  # the boundary change
        (20, 97, True, False),
        (19, 96, True, False),
        (19, 97, True, True),
        (21, 98, False, False),
        (18, 95, False, False),
        (19.5, 96.5, True, True),
    ],
)
def test_rr_and_spo2_boundaries_under_each_version(rr, spo2, under_4038, under_261):
    inputs = replace(BASE, respiratory_rate=rr, spo2=spo2)
    assert eligible(inputs, V4038) is under_4038
    assert eligible(inputs, V261) is under_261


def test_boundary_dates_of_the_versions():
    inputs = replace(BASE, respiratory_rate=20, spo2=96)
    assert home_care_eligibility(inputs, date(2021, 8, 20)).failed == ["permitted"]
    assert home_care_eligibility(inputs, date(2021, 8, 21)).rule_version == "QĐ 4038/QĐ-BYT"
    assert eligible(inputs, date(2022, 1, 30)) is True
    result = home_care_eligibility(inputs, date(2022, 1, 31))
    assert result.rule_version == "QĐ 261/QĐ-BYT" and result.failed == ["respiratory_rate", "spo2"]


UNVACCINATED = replace(BASE, vaccinated_doses=0, last_dose_date=None)


@pytest.mark.parametrize(
    ("inputs", "under_4038", "under_261"),
    [
        (replace(UNVACCINATED, age=60), False, True),  # 4038: not vaccinated and ≥ 50; 261 dropped age
        (replace(UNVACCINATED, age=49.9), True, True),
        (replace(UNVACCINATED, age=50), False, True),
        (replace(UNVACCINATED, age=1), False, True),  # "trên 1 tuổi"
        (replace(UNVACCINATED, age=1.5), True, True),
        (replace(UNVACCINATED, pregnant=True), False, True),
        (replace(UNVACCINATED, comorbidity=Comorbidity.STABLE), False, True),
        (replace(BASE, age=60, comorbidity=Comorbidity.STABLE), True, True),
        (replace(BASE, age=60, comorbidity=Comorbidity.UNSTABLE), True, False),  # 4038: vaccination suffices
        (replace(BASE, age=60, pregnant=True), True, True),
        (replace(BASE, severity=Severity.MODERATE), False, False),
        (replace(BASE, severity=Severity.ASYMPTOMATIC), True, True),
        (replace(BASE, abnormal_breathing=True), False, False),
        (replace(BASE, can_self_care=False), False, False),
        (replace(BASE, can_self_care=False, has_carer=True), True, True),
        (replace(BASE, reachable=False, has_carer=True), True, True),
        (replace(BASE, reachable=False), False, False),
    ],
)
def test_criteria(inputs, under_4038, under_261):
    assert eligible(inputs, V4038) is under_4038
    assert eligible(inputs, V261) is under_261


@pytest.mark.parametrize(("days_before", "expected"), [(13, False), (14, True)])
def test_one_dose_at_least_14_days_under_4038(days_before, expected):
    inputs = replace(UNVACCINATED, age=60, vaccinated_doses=1, last_dose_date=V4038 - timedelta(days=days_before))
    assert eligible(inputs, V4038) is expected


def test_two_doses_need_no_waiting_time_under_4038():
    inputs = replace(UNVACCINATED, age=60, vaccinated_doses=2, last_dose_date=V4038 - timedelta(days=1))
    assert eligible(inputs, V4038) is True


def test_failed_criteria_are_named():
    result = home_care_eligibility(replace(UNVACCINATED, age=60, respiratory_rate=22, spo2=94), V4038)
    assert result.failed == ["respiratory_rate", "spo2", "vaccination_or_low_risk"]
    assert not result.missing
    assert result.reasons[0].vi == "QĐ 4038/QĐ-BYT: không đủ điều kiện quản lý tại nhà"
    assert any(r.vi == "không đạt: nhịp thở 22 lần/phút (cần ≤ 20)" for r in result.reasons)
    assert any(r.en == "failed: SpO2 94% (needs ≥ 96)" for r in result.reasons)


def test_missing_inputs_leave_the_decision_open():
    result = home_care_eligibility(HomeCareInputs(severity="mild", respiratory_rate=18), V261)
    assert result.eligible is False and result.failed == []
    assert result.missing == ["abnormal_breathing", "can_self_care", "comorbidity", "has_carer", "reachable", "spo2"]
    assert result.reasons[0].vi == "QĐ 261/QĐ-BYT: chưa đủ thông tin để kết luận"


def test_a_known_carer_settles_care_without_self_care_facts():
    inputs = replace(BASE, can_self_care=None, reachable=None, has_carer=True)
    assert eligible(inputs, V261) is True


def test_vaccination_makes_age_facts_unnecessary_under_4038():
    inputs = replace(BASE, age=None, pregnant=None)
    assert eligible(inputs, V4038) is True
    result = home_care_eligibility(replace(UNVACCINATED, age=None), V4038)
    assert result.missing == ["age"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"severity": "serious"}, "severity"),
        ({"comorbidity": "some"}, "comorbidity"),
        ({"spo2": 101}, "spo2"),
        ({"age": -1}, "age"),
        ({"vaccinated_doses": -1}, "vaccinated_doses"),
        ({"pregnant": "no"}, "pregnant"),
        ({"comorbidity": "none", "comorbidities": ("đái tháo đường",)}, "comorbidities"),
    ],
)
def test_input_validation(kwargs, field):
    with pytest.raises(InputError) as raised:
        HomeCareInputs(**kwargs)
    assert raised.value.field == field
