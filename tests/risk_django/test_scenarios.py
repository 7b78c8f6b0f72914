"""District scenarios from cases under treatment (KH 152): switching creates the response
package's tasks once; thresholds and the scenario unit are province settings; task status."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from chongdich.risk.actions import do_set_task_status
from chongdich.risk.assess import assess_day
from chongdich.risk.models import ProvinceRiskSetting, ScenarioState, Task, TaskStatus
from tests.risk_django.conftest import DAY

pytestmark = pytest.mark.django_db
D1, D2, D3 = DAY - timedelta(days=3), DAY - timedelta(days=2), DAY - timedelta(days=1)


def open_tasks(unit):
    return set(Task.objects.filter(unit=unit, status=TaskStatus.OPEN).values_list("code", "source_scenario"))


def test_switching_scenario_creates_the_tasks_once(world, tally):
    assess_day(D1)
    assert ScenarioState.objects.get(unit=world.district).scenario == 0 and not Task.objects.exists()  # no case yet
    tally(world.commune, D2, active_home=70)
    tally(world.other_commune, D2, active_hospital=50)  # 120 under treatment in the district → scenario 2
    summary = assess_day(D2)
    state = ScenarioState.objects.get(unit=world.district)
    assert (state.scenario, state.active_cases, state.since) == (2, 120, D2)
    assert summary.scenario_switches == 1 and summary.tasks_created == 6
    assert open_tasks(world.district) == {
        ("checkpoints_zoning", 1),
        ("community_teams", 1),
        ("tracing_testing", 1),
        ("field_hospital", 2),
        ("home_treatment", 2),
        ("volunteers", 2),
    }
    task = Task.objects.get(unit=world.district, code="checkpoints_zoning")
    assert task.agency == "CONG_AN_HUYEN" and task.agency_vi == "Công an huyện" and task.what_en.startswith("Zone")
    assert task.deadline == summary.announced_at + timedelta(hours=6) and task.unit_path == world.district.path
    assess_day(D2)  # re-run: nothing new
    assert Task.objects.count() == 6
    tally(world.commune, D3, active_home=400)  # 520 → scenario 3
    summary = assess_day(D3)
    assert summary.tasks_created == 3
    assert {("field_hospital", 3), ("distancing_ct16", 3), ("request_support", 3)} <= open_tasks(world.district)
    tally(world.commune, DAY, active_home=-500)  # 20 → back to scenario 1
    assess_day(DAY)
    assert ScenarioState.objects.get(unit=world.district).scenario == 1
    assert ("field_hospital", 1) in open_tasks(world.district) and Task.objects.count() == 10


def test_a_province_sets_thresholds_and_the_scenario_unit(world, tally):
    ProvinceRiskSetting.objects.create(
        province=world.province, effective_from=D1, scenario_2_from=10, scenario_3_above=50
    )
    tally(world.commune, D2, active_home=20)
    assess_day(D2)
    assert ScenarioState.objects.get(unit=world.district).scenario == 2
    ProvinceRiskSetting.objects.create(province=world.province, effective_from=D3, scenario_tier="province")
    assess_day(D3)
    assert ScenarioState.objects.get(unit=world.province).scenario == 1  # 20 < 100 with the defaults again
    assert ScenarioState.objects.filter(unit=world.far_province).count() == 0  # Quận 1 has its own


def test_task_status_by_the_committee(world, tally, personas):
    tally(world.commune, D2, active_home=5)
    assess_day(D2)
    task = Task.objects.filter(unit=world.district).first()
    do_set_task_status(personas["district"], task, status="done")
    task.refresh_from_db()
    assert task.status == "done" and task.closed_by == personas["district"] and task.closed_at
    with pytest.raises(ValidationError):
        do_set_task_status(personas["province"], task, status="cancelled")  # a reason is needed
    do_set_task_status(personas["province"], task, status="open")
    task.refresh_from_db()
    assert task.status == "open" and task.closed_at is None
    with pytest.raises(PermissionDenied):
        do_set_task_status(personas["commune"], task, status="done")  # the district's task
