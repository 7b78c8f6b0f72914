"""District outbreak scenarios (KH 152/KH-UBND Bù Gia Mập): from the active cases under treatment
at the end of the day, each district (or the province, as its setting says) is in scenario 1, 2 or
3 (thresholds from the rules, changed by the province's setting).  Switching scenario creates the
response package's tasks for the responsible agencies; a task already open is not created twice,
and a re-run of the day creates nothing new.

A unit with no active case is in no scenario (0) [D: scenario 1 starts with the first case under
treatment, so quiet districts get no tasks].
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.risk.configuration import setting_in_force
from chongdich.risk.inputs import Gathered
from chongdich.risk.models import ProvinceRiskSetting, ScenarioState, Task, TaskStatus, Tier
from chongdich.risk.rules import RiskConfig, ScenarioPlan, select_scenario
from chongdich.territory.models import AdminUnit


def scenario_units(gathered: Gathered, day: date, settings_rows: list) -> list[str]:
    """Codes of the units that get a scenario: each district, or the province where its setting
    says so or where there is no district level."""
    province_pk = {row.province_code: row.pk for row in gathered.rows.values() if row.tier == Tier.PROVINCE}
    has_districts = {row.province_code for row in gathered.rows.values() if row.tier == Tier.DISTRICT}
    whole = set()
    for code, pk in province_pk.items():
        setting = setting_in_force(pk, day, settings_rows)
        if code not in has_districts or (
            setting and setting.scenario_tier == ProvinceRiskSetting.ScenarioTier.PROVINCE
        ):
            whole.add(code)
    return [
        row.code
        for row in gathered.rows.values()
        if (row.tier == Tier.DISTRICT and row.province_code not in whole)
        or (row.tier == Tier.PROVINCE and row.code in whole)
    ]


def plan_for(active: int, day: date, province: str | None, config: RiskConfig) -> ScenarioPlan | None:
    if active <= 0:
        return None
    return select_scenario(active, on=day, province=province, config=config)


def update_scenarios(
    day: date, gathered: Gathered, config: RiskConfig, settings_rows: list, activated_at: datetime
) -> tuple[int, int]:
    """Update every scenario unit's state for ``day``; returns (switches, tasks created)."""
    codes = scenario_units(gathered, day, settings_rows)
    rows = {code: gathered.rows[code] for code in codes}
    states = {state.unit_id: state for state in ScenarioState.objects.filter(unit_id__in=[r.pk for r in rows.values()])}
    open_tasks = set(
        Task.objects.filter(unit_id__in=[r.pk for r in rows.values()], status=TaskStatus.OPEN).values_list(
            "unit_id", "code", "source_scenario"
        )
    )
    switches = created = 0
    new_states, changed_states, seen, tasks = [], [], [], []
    for code, row in rows.items():
        active = gathered.active_cases.get(code, 0)
        plan = plan_for(active, day, row.province_code, config)
        number = plan.scenario if plan else 0
        state = states.get(row.pk)
        if state is not None and state.updated_on > day:
            continue  # a later day was already assessed: an older re-run does not move the state back
        if state is None:
            state = ScenarioState(
                unit_id=row.pk,
                unit_path=row.path,
                scenario=number,
                active_cases=active,
                since=day,
                updated_on=day,
                rule_version=plan.rule_version if plan else "",
            )
            new_states.append(state)
            switched = number > 0
        else:
            switched = state.scenario != number
            if switched:
                audit.record(
                    None,
                    audit.AuditAction.UPDATE,
                    None,
                    object_type_label="risk.scenariostate",
                    object_id=str(state.pk),
                    label=_("%(unit)s: scenario %(old)s → %(new)s")
                    % {"unit": row.name, "old": state.scenario, "new": number},
                    unit_path=row.path,
                    detail={
                        "changed": {"scenario": [state.scenario, number]},
                        "active_cases": active,
                        "day": day.isoformat(),
                    },
                )
                state.scenario, state.since = number, day
            if switched or state.active_cases != active:
                state.active_cases = active
                state.rule_version = plan.rule_version if plan else state.rule_version
                changed_states.append(state)
            seen.append(state.pk)
        if switched and plan is not None:
            switches += 1
            for template in plan.tasks:
                if (row.pk, template.code, template.scenario) in open_tasks:
                    continue
                task = Task(
                    code=template.code,
                    agency=template.agency,
                    agency_vi=template.agency_vi,
                    agency_en=template.agency_en,
                    what_vi=template.vi,
                    what_en=template.en,
                    deadline=activated_at + timedelta(hours=template.deadline_hours),
                    source_scenario=template.scenario,
                    activated_on=day,
                    created_at=activated_at,
                    unit_id=row.pk,
                    unit_path=row.path,
                    province_code=row.province_code,
                    commune_code="",
                )
                tasks.append(task)
    ScenarioState.objects.bulk_create(new_states)
    ScenarioState.objects.bulk_update(
        changed_states, ["scenario", "since", "active_cases", "rule_version"], batch_size=200
    )
    for start in range(0, len(seen), 500):
        ScenarioState.objects.filter(pk__in=seen[start : start + 500]).update(updated_on=day)
    if tasks:
        before = Task.objects.filter(activated_on=day).count()
        Task.objects.bulk_create(tasks, ignore_conflicts=True)
        created = Task.objects.filter(activated_on=day).count() - before
    return switches, created


def state_for(unit: AdminUnit) -> ScenarioState | None:
    return ScenarioState.objects.filter(unit=unit).first()


def tasks_of(unit: AdminUnit, *, open_only: bool = False):
    tasks = Task.objects.filter(Q(unit=unit) | Q(unit_path__startswith=unit.path)).order_by("status", "deadline", "pk")
    return tasks.filter(status=TaskStatus.OPEN) if open_only else tasks
