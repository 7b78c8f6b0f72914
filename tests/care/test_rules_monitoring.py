"""Warning signs of the home-care health record (QĐ 261; 4038-era thresholds before 31/1/2022)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from chongdich.care.rules import InputError, MonitoringEntry, check_monitoring, fever_duration_hours

AT_261 = datetime(2022, 2, 10, 8, 0)
AT_4038 = datetime(2021, 10, 10, 8, 0)
NORMAL = {"temperature_c": 37.0, "spo2": 98, "respiratory_rate": 16, "pulse": 80}


def signs(at=AT_261, **kw) -> list[str]:
    return [s.code for s in check_monitoring(MonitoringEntry(at, **{**NORMAL, **kw})).signs]


@pytest.mark.parametrize(
    ("measures", "under_261", "under_4038"),
    [
        ({"respiratory_rate": 19}, [], []),
        ({"respiratory_rate": 20}, ["fast_breathing"], []),  # 261: ≥ 20; 4038 era: > 20 [R]
        ({"respiratory_rate": 21}, ["fast_breathing"], ["fast_breathing"]),
        ({"spo2": 97}, [], []),
        ({"spo2": 96}, ["low_spo2"], []),  # 261: ≤ 96; 4038 era: < 96 [R]
        ({"spo2": 95}, ["low_spo2"], ["low_spo2"]),
        ({"pulse": 120}, [], []),
        ({"pulse": 121}, ["abnormal_pulse"], ["abnormal_pulse"]),
        ({"pulse": 50}, [], []),
        ({"pulse": 49}, ["abnormal_pulse"], ["abnormal_pulse"]),
        ({"systolic_bp": 90, "diastolic_bp": 60}, [], []),
        ({"systolic_bp": 89, "diastolic_bp": 70}, ["low_blood_pressure"], ["low_blood_pressure"]),
        ({"systolic_bp": 100, "diastolic_bp": 59}, ["low_blood_pressure"], ["low_blood_pressure"]),
    ],
)
def test_vital_sign_thresholds_by_version(measures, under_261, under_4038):
    assert signs(AT_261, **measures) == under_261
    assert signs(AT_4038, **measures) == under_4038


@pytest.mark.parametrize(
    ("age", "rr", "expected"),
    [
        (0.5, 49, []),
        (0.5, 50, ["fast_breathing"]),  # under 1 year [R: WHO IMCI]
        (3, 39, []),
        (3, 40, ["fast_breathing"]),
        (8, 29, []),
        (8, 30, ["fast_breathing"]),
        (12, 19, []),
        (12, 20, ["fast_breathing"]),
        (None, 20, ["fast_breathing"]),  # unknown age: adult thresholds [D]
    ],
)
def test_children_breathing_rate(age, rr, expected):
    assert signs(age=age, respiratory_rate=rr) == expected


@pytest.mark.parametrize(
    ("symptoms", "age", "expected"),
    [
        ({"cough", "fatigue", "loss_of_taste_or_smell"}, None, []),
        ({"dyspnoea"}, None, ["breathing_difficulty"]),
        ({"abnormal_breathing"}, 2, ["breathing_difficulty"]),
        ({"chest_pain"}, None, ["chest_pain"]),
        ({"seizure"}, 4, ["altered_consciousness"]),
        ({"cyanosis"}, None, ["cyanosis"]),
        ({"vomiting"}, 30, []),
        ({"vomiting"}, 5, ["child_feeding_or_mis_c"]),
        ({"mis_c_signs"}, 7, ["child_feeding_or_mis_c"]),
        ({"acute_illness"}, None, ["acute_illness"]),
        ({"other_concern"}, None, ["other_concern"]),
    ],
)
def test_symptom_signs(symptoms, age, expected):
    assert signs(symptoms=symptoms, age=age) == expected


@pytest.mark.parametrize(
    ("temperature", "hours", "expected"),
    [(38.5, 49, ["persistent_fever"]), (38.5, 48, []), (38.4, 72, []), (39.5, 12, [])],
)
def test_persistent_fever(temperature, hours, expected):
    assert signs(temperature_c=temperature, fever_hours=hours) == expected


def test_fever_without_duration_asks_for_it():
    result = check_monitoring(MonitoringEntry(AT_261, **{**NORMAL, "temperature_c": 39.0}))
    assert result.signs == [] and result.missing == ["fever_hours"]


def test_result_carries_numbers_texts_version_and_alert():
    result = check_monitoring(MonitoringEntry(AT_261, **{**NORMAL, "spo2": 94, "respiratory_rate": 24}))
    assert result.alert is True and result.rule_version == "Dấu hiệu cảnh báo QĐ 261/QĐ-BYT"
    assert [(s.number, s.detail_vi) for s in result.signs] == [
        (2, "nhịp thở 24 lần/phút ≥ 20 lần/phút"),
        (3, "SpO2 94% ≤ 96%"),
    ]
    assert result.signs[1].detail_en == "SpO2 94% ≤ 96%"
    assert result.reasons[-1].vi.startswith("báo ngay")


def test_missing_required_measures_are_listed():
    result = check_monitoring(MonitoringEntry(date(2022, 2, 10), spo2=98))
    assert result.alert is False
    assert result.missing == ["pulse", "respiratory_rate", "temperature_c"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"symptoms": {"sneezing"}}, "symptoms"),
        ({"symptoms": "cough"}, "symptoms"),
        ({"temperature_c": 50}, "temperature_c"),
        ({"spo2": -1}, "spo2"),
        ({"age": 200}, "age"),
        ({"recorded_at": "2022-02-10"}, "recorded_at"),
    ],
)
def test_entry_validation(kwargs, field):
    with pytest.raises(InputError) as raised:
        MonitoringEntry(**{"recorded_at": AT_261, **kwargs})
    assert raised.value.field == field


def test_fever_duration_from_a_series():
    start = datetime(2022, 2, 10, 8)
    temps = [37.0, 38.6, 38.9, 38.5, 39.0, 38.7]  # every 12 hours; fever from the second reading
    entries = [MonitoringEntry(start + timedelta(hours=12 * i), temperature_c=t) for i, t in enumerate(temps)]
    hours = fever_duration_hours(entries)
    assert hours == 48
    assert fever_duration_hours([*entries, MonitoringEntry(start + timedelta(hours=72), temperature_c=37.2)]) is None
    assert fever_duration_hours([]) is None
    latest = MonitoringEntry(
        start + timedelta(hours=84),
        temperature_c=38.8,
        fever_hours=fever_duration_hours([*entries, MonitoringEntry(start + timedelta(hours=84), temperature_c=38.8)]),
    )
    assert latest.fever_hours == 72
    assert "persistent_fever" in [s.code for s in check_monitoring(latest).signs]
    with pytest.raises(InputError):
        fever_duration_hours([MonitoringEntry(date(2022, 2, 10), temperature_c=39)])
