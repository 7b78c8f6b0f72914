"""Coverage inputs of QĐ 4800/218 from the vaccination tallies: a commune under 4800 or 218 gets a
computed level when its province keeps vaccination records; without any record the inputs stay
absent (missing data), never 0."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chongdich.risk.assess import assess_day
from chongdich.risk.inputs import gather
from chongdich.risk.models import CapacityReadiness, RiskAssessment
from tests.helpers import add_doses

pytestmark = pytest.mark.django_db

DAY_4800 = date(2021, 11, 15)
DAY_218 = date(2022, 2, 15)


@pytest.fixture
def later(settings):
    settings.CHONGDICH_TODAY = "2022-03-01T14:00"


def by_code(gathered):
    return {unit.code: unit for unit in gathered.units}


def vaccinate(world, day):
    """Đức Hạnh (adults 6,500; 50+ 2,300; 65+ 800; 9,000 people): first doses for 5,000 adults and
    100 children, full series for 4,000 (1,500 aged 50–64, 700 aged 65+), a dose after the day."""
    commune, before = world.commune, day - timedelta(days=60)
    add_doses(commune, before, 3000, age_band="18_49")
    add_doses(commune, before, 1200, age_band="50_64")
    add_doses(commune, before, 800, age_band="65_plus")
    add_doses(commune, before, 100, age_band="0_17", product="PF")
    later_day = day - timedelta(days=20)
    add_doses(commune, later_day, 1800, number=2, completes_primary=True, age_band="18_49")
    add_doses(commune, later_day, 1500, number=2, completes_primary=True, age_band="50_64")
    add_doses(commune, later_day, 700, number=2, completes_primary=True, age_band="65_plus")
    add_doses(commune, later_day, 300, kind="booster", number=1, product="PF", age_band="50_64")
    add_doses(commune, day + timedelta(days=1), 999, age_band="18_49")  # after the day: not counted


def test_the_four_coverage_inputs_from_the_tallies(world, later):
    vaccinate(world, DAY_4800)
    units = by_code(gather(DAY_4800))
    ducs = units["25228"]
    assert (ducs.dose1_18plus, ducs.full_50plus, ducs.full_all, ducs.full_high_risk) == (5000, 2200, 4000, 700)
    assert ducs.high_risk_population == 800  # the high-risk group: people aged 65+
    phu_van = units["25229"]  # same province, no dose: a real 0
    assert (phu_van.dose1_18plus, phu_van.full_all, phu_van.full_high_risk) == (0, 0, 0)
    assert phu_van.high_risk_population is None  # no age bands: unknown, not 0
    tan_dinh = units["26734"]  # Hồ Chí Minh City keeps no vaccination record here: absent
    for name in ("dose1_18plus", "full_50plus", "full_all", "full_high_risk", "high_risk_population"):
        assert getattr(tan_dinh, name) is None


def test_a_4800_day_gets_a_computed_level(world, later):
    vaccinate(world, DAY_4800)
    CapacityReadiness.objects.create(
        unit=world.province, unit_path=world.province.path, ready=True, effective_from=DAY_4800 - timedelta(days=30)
    )
    assess_day(DAY_4800)
    row = RiskAssessment.objects.get(code="25228", day=DAY_4800)
    assert row.framework == "4800" and row.missing == []
    # 0 cases (band A) and 5,000 / 6,500 = 76.9% of adults with a first dose (≥ 70%): level 1
    assert row.computed_level == 1
    assert any("76,92% người ≥18 tuổi đã tiêm ≥1 mũi" in reason["vi"] for reason in row.reasons)
    far = RiskAssessment.objects.get(code="26734", day=DAY_4800)
    assert far.computed_level is None and "dose1_18plus" in far.missing


def test_4800_below_70_percent_raises_the_level(world, later):
    add_doses(world.commune, DAY_4800 - timedelta(days=30), 4000, age_band="18_49")  # 61.5%
    CapacityReadiness.objects.create(
        unit=world.province, unit_path=world.province.path, ready=True, effective_from=DAY_4800 - timedelta(days=30)
    )
    assess_day(DAY_4800)
    assert RiskAssessment.objects.get(code="25228", day=DAY_4800).computed_level == 2


def test_a_218_day_gets_a_computed_level(world, tally, later):
    vaccinate(world, DAY_218)
    for unit in (world.other_commune, world.border_commune):
        unit.population_total = 5500
        unit.save()
    tally(world.commune, DAY_218 - timedelta(days=60), treatment_capacity=50)  # 50 / 20,000 → 250 per 100,000
    CapacityReadiness.objects.create(
        unit=world.province, unit_path=world.province.path, ready=True, effective_from=DAY_218 - timedelta(days=30)
    )
    assess_day(DAY_218)
    row = RiskAssessment.objects.get(code="25228", day=DAY_218)
    assert row.framework == "218" and row.missing == []
    # full series 4,000 / 9,000 = 44% (< 75%) and 700 / 800 = 87.5% of 65+ (< 90%): T1 → T2; HIGH → level 1
    assert row.computed_level == 1
    reasons = " ".join(reason["vi"] for reason in row.reasons)
    assert "44,44% dân số" in reasons and "87,5% nhóm nguy cơ cao" in reasons and "T2" in reasons
    # Phú Văn: no age band, so no 65+ population: the high-risk group's size is missing
    phu_van = RiskAssessment.objects.get(code="25229", day=DAY_218)
    assert phu_van.computed_level is None and "high_risk_population" in phu_van.missing
