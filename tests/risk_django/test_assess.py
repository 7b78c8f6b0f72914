"""The daily job: every unit assessed and stored with its reasons, idempotent per day, the 48-hour
notice timeline, frameworks per province, local raises and overrides, the command and the task."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from chongdich.core.models import AuditEvent
from chongdich.risk import selectors
from chongdich.risk.assess import assess_day
from chongdich.risk.models import ProvinceRiskSetting, RiskAssessment, RiskOverride
from tests.risk_django.conftest import DAY

pytestmark = pytest.mark.django_db


def levels(day=DAY) -> dict[str, tuple]:
    return {
        row.code: (row.computed_level, row.applied_level, row.colour) for row in RiskAssessment.objects.filter(day=day)
    }


def test_every_unit_is_assessed_communes_first_then_rolled_up(outbreak):
    summary = assess_day(DAY)
    assert summary.units == 9 and summary.frameworks == {"2686": ["70", "79"]}
    assert levels() == {
        "25229": (3, 3, "red"),  # market cluster
        "25228": (2, 2, "orange"),  # unknown source; borders red
        "25222": (2, 2, "orange"),  # borders red
        "26734": (None, None, ""),  # neighbours unknown: could be orange
        "691": (3, 3, "red"),
        "70": (3, 3, "red"),
        "760": (None, None, ""),
        "79": (None, None, ""),
        "VN": (3, 3, "red"),
    }
    row = RiskAssessment.objects.get(code="25229", day=DAY)
    assert row.framework == "2686" and row.rule_version == "2686.v1" and row.method == "commune_factors"
    assert row.tier == "commune" and row.unit == outbreak.other_commune and row.unit_path == outbreak.other_commune.path
    assert row.reasons[0]["rule"] == "R-10"
    assert "chợ" in row.reasons[0]["vi"] and "market" in row.reasons[0]["en"]
    assert row.inputs["clusters"] == [{"source_known": True, "setting": "market", "cases": 2}]
    far = RiskAssessment.objects.get(code="26734", day=DAY)
    assert far.missing == ["neighbours"] and far.effective_from is None
    assert RiskAssessment.objects.get(code="79", day=DAY).missing == ["26734.neighbours"]
    nation = RiskAssessment.objects.get(code="VN", day=DAY)
    assert nation.unit is None and nation.tier == "nation"


def test_rerunning_a_day_replaces_its_rows(outbreak):
    assess_day(DAY)
    first = {
        row.code: (row.applied_level, row.announced_at, row.effective_from, row.reasons)
        for row in RiskAssessment.objects.filter(day=DAY)
    }
    assess_day(DAY)
    second = {
        row.code: (row.applied_level, row.announced_at, row.effective_from, row.reasons)
        for row in RiskAssessment.objects.filter(day=DAY)
    }
    assert first == second and RiskAssessment.objects.count() == 9
    assert AuditEvent.objects.filter(object_type="risk.riskassessment", object_id=DAY.isoformat()).count() == 2


def test_4800_and_218_report_the_vaccination_inputs_as_missing(outbreak, settings):
    settings.CHONGDICH_TODAY = "2022-03-01"
    assess_day(date(2021, 11, 15))
    row = RiskAssessment.objects.get(code="25228", day=date(2021, 11, 15))
    assert row.framework == "4800" and row.computed_level is None
    assert {"dose1_18plus", "capacity_ready"} <= set(row.missing)
    assert "population" not in row.missing  # Đức Hạnh has its population
    assess_day(date(2022, 2, 15))
    row = RiskAssessment.objects.get(code="25228", day=date(2022, 2, 15))
    assert row.framework == "218" and row.computed_level is None
    assert {"full_all", "high_risk_population", "full_high_risk", "691.vacant_beds_per_100k"} <= set(row.missing)
    assert any("thiếu dữ liệu" in reason["vi"] and "missing" in reason["en"] for reason in row.reasons)


def test_no_framework_before_2686(world, settings):
    summary = assess_day(date(2021, 5, 1))
    assert summary.units == 0 and summary.skipped_provinces == ["70", "79"]


def test_a_future_day_is_refused(world):
    with pytest.raises(ValidationError):
        assess_day(DAY + timedelta(days=1))


def test_a_change_of_level_takes_effect_48_hours_after_its_announcement(outbreak, tally):
    d1, d2, d4 = DAY - timedelta(days=6), DAY - timedelta(days=5), DAY - timedelta(days=3)
    tally(outbreak.commune, d1, f1_home_quarantine=2)  # Đức Hạnh yellow (F1); nothing else yet
    assess_day(d1)
    first = RiskAssessment.objects.get(code="25228", day=d1)
    assert first.applied_level == 1 and first.effective_from == first.announced_at  # the first level: at once
    tally(outbreak.commune, d2, cases_new_community=1, cases_new_community_unknown_source=1)  # → orange
    summary = assess_day(d2)
    assert summary.changes_announced >= 1
    row = RiskAssessment.objects.get(code="25228", day=d2)
    assert row.applied_level == 2 and row.effective_from == row.announced_at + timedelta(hours=48)
    assert (row.in_force_level, row.pending_level) == (1, 2)
    first.refresh_from_db()
    assert first.effective_to == row.effective_from  # yellow ends when orange starts
    unit_id = outbreak.commune.pk
    assert selectors.levels_on(d2)[unit_id] == (1, "yellow")  # still yellow on the day of the announcement
    assess_day(d2 + timedelta(days=1))
    assess_day(d4)  # 08:00 on d4 = 48 h after 08:00 on d2
    assert selectors.levels_on(d4)[unit_id] == (2, "orange")
    periods = selectors.history("25228", day=d4)
    assert [(p.level, p.cancelled) for p in periods] == [(2, False), (1, False)]
    assert periods[1].effective_to == periods[0].effective_from


def test_a_reversed_announcement_is_cancelled(outbreak, tally):
    d1, d2, d3 = DAY - timedelta(days=9), DAY - timedelta(days=8), DAY - timedelta(days=7)
    tally(outbreak.commune, d1 - timedelta(days=30), f1_home_quarantine=2)
    assess_day(d1)  # yellow
    tally(outbreak.commune, d2, cases_new_community=1, cases_new_community_unknown_source=1)
    assess_day(d2)  # orange announced
    from chongdich.tallies.models import DailyTally

    DailyTally.objects.filter(unit=outbreak.commune, day=d2).update(
        cases_new_community=0, cases_new_community_unknown_source=0
    )
    assess_day(d3)  # yellow again: the announcement is withdrawn
    row = RiskAssessment.objects.get(code="25228", day=d3)
    assert row.applied_level == 1 and row.pending_level is None
    announced = RiskAssessment.objects.get(code="25228", day=d2)
    assert announced.effective_to == announced.effective_from  # cancelled
    assert RiskAssessment.objects.get(code="25228", day=d1).effective_to is None  # yellow goes on
    assert [p.cancelled for p in selectors.history("25228", day=d3)] == [True, False]


def test_a_province_may_keep_the_previous_framework(outbreak, settings):
    day = date(2021, 10, 15)  # NQ 128 / QĐ 4800 in force nationally
    settings.CHONGDICH_TODAY = day.isoformat()
    ProvinceRiskSetting.objects.create(
        province=outbreak.province, effective_from=day - timedelta(days=10), framework="2686"
    )
    summary = assess_day(day)
    assert summary.frameworks == {"2686": ["70"], "4800": ["79"]}
    assert not RiskAssessment.objects.filter(code="VN").exists()  # no nation across two frameworks
    assert RiskAssessment.objects.get(code="26734", day=day).framework == "4800"
    assert RiskAssessment.objects.get(code="691", day=day).framework == "2686"


def test_a_framework_not_in_force_yet_is_refused(outbreak):
    with pytest.raises(ValidationError):
        assess_day(DAY, framework="218")
    ProvinceRiskSetting.objects.create(
        province=outbreak.far_province, effective_from=DAY - timedelta(days=3), framework="4800"
    )  # stored by hand: the service refuses it
    summary = assess_day(DAY)
    assert summary.skipped_provinces == ["79"] and summary.frameworks == {"2686": ["70"]}


def test_the_province_raises_border_communes(outbreak):
    ProvinceRiskSetting.objects.create(
        province=outbreak.province, effective_from=DAY - timedelta(days=30), raise_border_by=1
    )
    assess_day(DAY)
    row = RiskAssessment.objects.get(code="25222", day=DAY)
    assert (row.computed_level, row.applied_level) == (2, 3)
    assert any(reason["rule"] == "R-14" and "border" in reason["en"] for reason in row.reasons)
    assert "+ 70" in row.rule_version


def test_overrides_apply_only_when_not_weaker(outbreak, personas):
    RiskOverride.objects.create(
        unit=outbreak.commune,
        unit_path=outbreak.commune.path,
        framework="2686",
        level=3,
        reason="Quyết định 12/QĐ-UBND",
        valid_from=DAY,
    )
    RiskOverride.objects.create(
        unit=outbreak.border_commune,
        unit_path=outbreak.border_commune.path,
        framework="2686",
        level=0,
        reason="stored before the assessment rose",
        valid_from=DAY,
    )
    assess_day(DAY)
    stronger = RiskAssessment.objects.get(code="25228", day=DAY)
    assert (stronger.computed_level, stronger.applied_level) == (2, 3)
    weaker = RiskAssessment.objects.get(code="25222", day=DAY)
    assert (weaker.computed_level, weaker.applied_level) == (2, 2)
    assert any("refused" in reason["en"] for reason in weaker.reasons)


def test_the_previous_level_of_the_same_framework_is_an_input(outbreak):
    from chongdich.risk.assess import _prepare
    from chongdich.risk.inputs import gather

    assess_day(DAY - timedelta(days=1))
    yesterday = RiskAssessment.objects.get(code="25229", day=DAY - timedelta(days=1)).computed_level
    gathered = gather(DAY)
    _prepare(gathered.units, gathered, "2686")
    assert yesterday is not None and {u.code: u.previous_level for u in gathered.units}["25229"] == yesterday
    _prepare(gathered.units, gathered, "4800")
    assert {u.code: u.previous_level for u in gathered.units}["25229"] is None  # levels of 2686 are not 4800's


def test_command(outbreak, capsys):
    call_command("assess_risk", "--date", DAY.isoformat())
    out = capsys.readouterr().out
    assert "9 units assessed" in out and "framework 2686" in out and "red 4" in out
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("assess_risk", "--date", (DAY + timedelta(days=3)).isoformat())


def test_task(outbreak):
    from chongdich.risk.tasks import assess_risk

    result = assess_risk.enqueue(DAY.isoformat())
    assert result.return_value["units"] == 9
    assert RiskAssessment.objects.filter(day=DAY).count() == 9
