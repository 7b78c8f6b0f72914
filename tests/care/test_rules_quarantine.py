"""F1 quarantine plans (R-52) on every period boundary, with the vaccination and recovery
conditions at their exact limits."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chongdich.care.rules import InputError, Place, Vaccination, quarantine_plan

D = date
CONC, HOME, NONE = Place.CONCENTRATED, Place.HOME, Place.NONE


def days(start: date, *numbers: int) -> list[date]:
    return [start + timedelta(days=n - 1) for n in numbers]


def doses_before(on: date, *days_before: int) -> list[date]:
    return [on - timedelta(days=n) for n in days_before]


# (exposure = as_of, place, days, quarantine test days, self-monitoring days, monitoring test days, version)
UNVACCINATED = [
    (D(2021, 5, 4), CONC, 14, (1, 14), 14, (), "Thực tiễn 2020"),
    (D(2021, 5, 5), CONC, 21, (1, 14, 20), 7, (7,), "CĐ 600/CĐ-BCĐ"),
    (D(2021, 7, 13), CONC, 21, (1, 14, 20), 7, (7,), "CĐ 600/CĐ-BCĐ"),
    (D(2021, 7, 14), CONC, 14, (1, 7, 14), 14, (), "CV 5599/BYT-MT"),
    (D(2021, 12, 15), CONC, 14, (1, 7, 14), 14, (), "CV 5599/BYT-MT"),
    (D(2021, 12, 16), CONC, 14, (1, 7, 14), 14, (), "CV 10696/BYT-MT"),
    (D(2022, 2, 20), CONC, 14, (1, 7, 14), 14, (), "CV 10696/BYT-MT"),
    (D(2022, 2, 21), HOME, 7, (7,), 3, (), "Công văn BYT 21/2/2022"),
    (D(2022, 4, 14), HOME, 7, (7,), 3, (), "Công văn BYT 21/2/2022"),
    (D(2022, 4, 15), NONE, 0, (), 10, (), "CV 1909/BYT-DP"),
]
# Fully vaccinated: two doses, the last 30 days before the exposure.
VACCINATED = [
    (D(2021, 12, 15), CONC, 14, (1, 7, 14), 14, (), "CV 5599/BYT-MT"),
    (D(2021, 12, 16), HOME, 7, (1, 7), 7, (), "CV 10696/BYT-MT"),
    (D(2022, 2, 20), HOME, 7, (1, 7), 7, (), "CV 10696/BYT-MT"),
    (D(2022, 2, 21), HOME, 5, (5,), 5, (), "Công văn BYT 21/2/2022"),
    (D(2022, 4, 14), HOME, 5, (5,), 5, (), "Công văn BYT 21/2/2022"),
    (D(2022, 4, 15), NONE, 0, (), 10, (), "CV 1909/BYT-DP"),
]


def _check(plan, exposure, place, length, tests, monitor, monitor_tests, version):
    assert (plan.place, plan.days, plan.self_monitor_days) == (place, length, monitor)
    assert plan.rule_version == version
    assert plan.start == exposure
    if length:
        assert plan.end == exposure + timedelta(days=length - 1)
        monitor_start = plan.end + timedelta(days=1)
    else:
        assert plan.end is None
        monitor_start = exposure
    assert plan.self_monitor_start == monitor_start
    assert plan.self_monitor_end == monitor_start + timedelta(days=monitor - 1)
    assert plan.test_days == days(exposure, *tests) + days(monitor_start, *monitor_tests)
    assert plan.reasons and all(r.rule == "R-52" for r in plan.reasons)


@pytest.mark.parametrize(("exposure", "place", "length", "tests", "monitor", "monitor_tests", "version"), UNVACCINATED)
def test_period_boundaries_unvaccinated(exposure, place, length, tests, monitor, monitor_tests, version):
    plan = quarantine_plan(exposure)
    _check(plan, exposure, place, length, tests, monitor, monitor_tests, version)


@pytest.mark.parametrize(("exposure", "place", "length", "tests", "monitor", "monitor_tests", "version"), VACCINATED)
def test_period_boundaries_vaccinated(exposure, place, length, tests, monitor, monitor_tests, version):
    plan = quarantine_plan(exposure, doses_before(exposure, 60, 30))
    _check(plan, exposure, place, length, tests, monitor, monitor_tests, version)


def test_cd_600_example_dates():
    plan = quarantine_plan(D(2021, 6, 1))
    assert (plan.start, plan.end) == (D(2021, 6, 1), D(2021, 6, 21))
    assert plan.test_days == [D(2021, 6, 1), D(2021, 6, 14), D(2021, 6, 20), D(2021, 6, 28)]
    assert [(t.phase, t.day_number) for t in plan.tests] == [
        ("quarantine", 1),
        ("quarantine", 14),
        ("quarantine", 20),
        ("self_monitoring", 7),
    ]
    assert (plan.self_monitor_start, plan.self_monitor_end) == (D(2021, 6, 22), D(2021, 6, 28))


@pytest.mark.parametrize(
    ("exposure", "last_dose_days_before", "protected"),
    [
        (D(2022, 1, 10), 13, False),  # 10696: last dose ≥ 14 days
        (D(2022, 1, 10), 14, True),
        (D(2022, 3, 10), 13, False),  # 21/2/2022: last dose ≥ 14 days
        (D(2022, 3, 10), 14, True),
    ],
)
def test_last_dose_13_vs_14_days(exposure, last_dose_days_before, protected):
    plan = quarantine_plan(exposure, doses_before(exposure, last_dose_days_before + 28, last_dose_days_before))
    assert plan.protected is protected


@pytest.mark.parametrize(
    ("exposure", "last_dose", "protected"),
    [
        (D(2022, 1, 10), D(2021, 7, 10), True),  # exactly 6 calendar months before
        (D(2022, 1, 11), D(2021, 7, 10), False),  # one day more
        (D(2022, 2, 20), D(2021, 8, 20), True),
        (D(2022, 2, 28), D(2021, 8, 31), True),  # 31/8 + 6 months = 28/2 (clamped)
        (D(2022, 2, 21), D(2021, 8, 20), True),  # 21/2/2022 rule: no upper limit
        (D(2022, 4, 1), D(2021, 1, 1), True),
    ],
)
def test_six_month_limit_of_10696(exposure, last_dose, protected):
    plan = quarantine_plan(exposure, Vaccination.summary(2, last_dose))
    assert plan.protected is protected


@pytest.mark.parametrize(
    ("exposure", "recovered", "protected"),
    [
        (D(2022, 1, 10), D(2021, 7, 10), True),  # 10696: recovered ≤ 6 months
        (D(2022, 1, 10), D(2021, 7, 9), False),
        (D(2022, 3, 10), D(2021, 12, 10), True),  # 21/2/2022: recovered ≤ 3 months
        (D(2022, 3, 10), D(2021, 12, 9), False),
        (D(2022, 3, 10), D(2021, 11, 10), False),  # 4 months: enough for 10696, not for 21/2/2022
        (D(2022, 1, 10), D(2021, 9, 10), True),
        (D(2022, 1, 10), D(2022, 1, 11), False),  # recovered after the exposure: does not count
    ],
)
def test_recovery_limits(exposure, recovered, protected):
    assert quarantine_plan(exposure, None, recovered).protected is protected


def test_primary_series_of_a_single_dose_vaccine():
    janssen = Vaccination.from_doses([D(2021, 11, 1)], primary_series_doses=1)
    assert quarantine_plan(D(2022, 1, 10), janssen).protected is True  # 10696: primary series complete
    assert quarantine_plan(D(2022, 3, 10), janssen).protected is False  # 21/2/2022: ≥ 2 doses


def test_doses_after_the_exposure_do_not_count():
    vaccination = [D(2021, 10, 1), D(2022, 1, 20)]
    assert quarantine_plan(D(2022, 1, 10), vaccination).protected is False
    with pytest.raises(InputError):
        quarantine_plan(D(2022, 1, 10), Vaccination.summary(2, D(2022, 1, 20)))


def test_as_of_picks_the_rule_version():
    late = quarantine_plan(D(2022, 4, 14), as_of=D(2022, 4, 15))
    assert (late.place, late.rule_version) == (NONE, "CV 1909/BYT-DP")
    assert late.self_monitor_end == D(2022, 4, 23)
    with pytest.raises(InputError):
        quarantine_plan(D(2022, 4, 14), as_of=D(2022, 4, 13))


def test_versions_without_protection_report_none():
    assert quarantine_plan(D(2021, 6, 1), doses_before(D(2021, 6, 1), 90, 60)).protected is None


def test_reasons_are_bilingual():
    plan = quarantine_plan(D(2022, 1, 10), doses_before(D(2022, 1, 10), 60, 30))
    vi = " ".join(r.vi for r in plan.reasons)
    en = " ".join(r.en for r in plan.reasons)
    assert "cách ly tại nhà 7 ngày từ 10/1/2022 đến 16/1/2022" in vi and "đã tiêm đủ liều cơ bản" in vi
    assert "home quarantine 7 days from 2022-01-10 to 2022-01-16" in en


@pytest.mark.parametrize("vaccination", ["2021-10-01", {"doses": 2}, 2, ["2021-10-01"]])
def test_bad_vaccination_input(vaccination):
    with pytest.raises(InputError):
        quarantine_plan(D(2022, 1, 10), vaccination)


@pytest.mark.parametrize(("count", "last"), [(-1, None), (2, None), (1.5, D(2021, 1, 1))])
def test_vaccination_summary_validation(count, last):
    with pytest.raises(InputError):
        Vaccination.summary(count, last)
