"""Risk pages: levels by unit (overview), a unit's level with why, measures and history; the
committee's overrides, readiness and province settings; scenarios with their tasks; the measure
catalogue.  Levels are public information: every role with ``units.view`` reads every unit."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import clock, dates
from chongdich.core.access import capability_required
from chongdich.core.forms import add_errors
from chongdich.core.roles import Cap
from chongdich.core.scoping import scope_for
from chongdich.risk import selectors
from chongdich.risk.actions import (
    OverrideRefused,
    do_override,
    do_save_province_setting,
    do_set_readiness,
    do_set_task_status,
    do_withdraw_override,
)
from chongdich.risk.configuration import deployment_config, framework_on, setting_in_force
from chongdich.risk.forms import (
    DayForm,
    MeasuresForm,
    OverrideForm,
    OverviewForm,
    ProvinceSettingForm,
    ReadinessForm,
    TaskStatusForm,
)
from chongdich.risk.measures import catalogue, catalogue_day, framework_title, measures_in_force
from chongdich.risk.models import NATION_CODE, CapacityReadiness, ProvinceRiskSetting, RiskOverride, ScenarioState, Task
from chongdich.risk.names import lang
from chongdich.risk.rules import ConfigError, select_scenario
from chongdich.risk.scenarios import tasks_of
from chongdich.tallies.registry import area_figures
from chongdich.territory.models import AdminUnit, Level

ASSESSED = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)
COLOURS = ("red", "orange", "yellow", "green")


def _unit_or_404(code: str) -> AdminUnit:
    unit = AdminUnit.objects.select_related("parent").filter(code=code, level__in=ASSESSED).first()
    if unit is None:
        raise Http404
    return unit


def _day(request):
    form = DayForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("date"):
        return dates.shown_day(form.cleaned_data["date"])
    return clock.today()


def _default_parent(user) -> AdminUnit | None:
    """Where the overview opens: the user's area (a commune's district, to compare neighbours)."""
    scope = scope_for(user, Cap.UNITS_VIEW)
    if scope.everything or not scope.paths:
        return None
    unit = AdminUnit.objects.select_related("parent").filter(path=scope.paths[0]).first()
    while unit is not None and unit.level not in (Level.PROVINCE, Level.DISTRICT):
        unit = unit.parent
    return unit


@capability_required(Cap.UNITS_VIEW)
def overview(request):
    form = OverviewForm(request.GET or None)
    day = _day(request)
    code = form.cleaned_data.get("unit") if form.is_bound and form.is_valid() else ""
    parent = _unit_or_404(code) if code else (None if "unit" in request.GET else _default_parent(request.user))
    rows = [row for row in selectors.by_severity(selectors.published(day, parent=parent)) if row.row.tier != "nation"]
    counts = Counter(row.colour or "none" for row in rows)
    return render(
        request,
        "risk/overview.html",
        {
            "form": form,
            "day": day,
            "parent": parent,
            "rows": rows,
            "counts": [(colour, counts.get(colour, 0)) for colour in (*COLOURS, "none")],
            "parent_level": selectors.published_level(parent.code, day) if parent else selectors.nation_level(day),
            "breadcrumbs": parent.ancestors() if parent else [],
            "lang": lang(),
        },
    )


@capability_required(Cap.UNITS_VIEW)
def unit_page(request, code: str):
    unit = None if code == NATION_CODE else _unit_or_404(code)
    day = _day(request)
    published = selectors.published_level(code, day)
    config = deployment_config()
    province = unit.province_code if unit else None
    measures = pending_measures = None
    if published is not None:
        measures = measures_in_force(published.framework, published.level, on=day, province=province, config=config)
        if published.pending:
            framework, level, _from = published.pending
            pending_measures = measures_in_force(framework, level, on=day, province=province, config=config)
    edit_scope = scope_for(request.user, Cap.UNITS_EDIT)
    can_edit = unit is not None and edit_scope.contains(unit.path)
    context = {
        "unit": unit,
        "code": code,
        "day": day,
        "today": clock.today(),
        "published": published,
        "row": published.row if published else None,
        "measures": measures,
        "pending_measures": pending_measures,
        "framework_title": framework_title(published.framework or published.row.framework, lang()) if published else "",
        "periods": selectors.history(code, day=day),
        "children": [item for item in selectors.published(day, parent=unit) if item.row.tier != "nation"]
        if unit is None or unit.level != Level.COMMUNE
        else [],
        "breadcrumbs": unit.ancestors() if unit else [],
        "lang": lang(),
        "can_edit": can_edit,
    }
    if unit is not None:
        context["overrides"] = list(RiskOverride.objects.filter(unit=unit).select_related("by")[:10])
        context["readiness"] = (
            CapacityReadiness.objects.filter(unit=unit, effective_from__lte=day).order_by("-effective_from").first()
        )
        context["scenario"] = ScenarioState.objects.filter(unit=unit).first()
        context["can_settings"] = unit.level == Level.PROVINCE and can_edit
    return render(request, "risk/unit.html", context)


@capability_required(Cap.UNITS_EDIT)
def override(request, code: str):
    unit = _unit_or_404(code)
    if not scope_for(request.user, Cap.UNITS_EDIT).contains(unit.path):
        raise Http404
    today = clock.today()
    config = deployment_config()
    framework = framework_on(config, today, unit.province_code)
    if framework is None:
        messages.error(request, _("No risk-level framework is in force today."))
        return redirect("risk:unit", code=unit.code)
    computed = selectors.computed_level_on(unit, framework, today)
    form = OverrideForm(
        request.POST or None, framework=framework, lang=lang(), initial={"valid_from": today, "level": computed}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            do_override(
                request.user,
                unit,
                level=data["level"],
                reason=data["reason"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                config=config,
            )
        except OverrideRefused as exc:
            form.add_error("level", exc.messages[0])
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The decision was recorded; today's assessment is being updated."))
            return redirect("risk:unit", code=unit.code)
    return render(
        request,
        "risk/override_form.html",
        {
            "unit": unit,
            "form": form,
            "framework": framework,
            "framework_title": framework_title(framework, lang()),
            "computed": computed,
            "breadcrumbs": unit.ancestors(),
        },
    )


@require_POST
@capability_required(Cap.UNITS_EDIT)
def override_withdraw(request, code: str, pk: int):
    unit = _unit_or_404(code)
    if not scope_for(request.user, Cap.UNITS_EDIT).contains(unit.path):
        raise Http404
    decision = RiskOverride.objects.filter(unit=unit, pk=pk).first()
    if decision is None:
        raise Http404
    try:
        do_withdraw_override(request.user, decision)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The decision was withdrawn."))
    return redirect("risk:unit", code=unit.code)


@capability_required(Cap.UNITS_EDIT)
def readiness(request, code: str):
    unit = _unit_or_404(code)
    if not scope_for(request.user, Cap.UNITS_EDIT).contains(unit.path):
        raise Http404
    current = CapacityReadiness.objects.filter(unit=unit).order_by("-effective_from").first()
    initial = {"effective_from": clock.today(), "ready": "yes" if current is None or current.ready else "no"}
    form = ReadinessForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_set_readiness(
                request.user,
                unit,
                ready=form.cleaned_data["ready"],
                note=form.cleaned_data["note"],
                effective_from=form.cleaned_data["effective_from"],
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("risk:unit", code=unit.code)
    figures = area_figures(unit.path)
    return render(
        request,
        "risk/readiness_form.html",
        {
            "unit": unit,
            "form": form,
            "current": current,
            "breadcrumbs": unit.ancestors(),
            "facilities": figures.get("facilities", 0),
            "ready_24h": figures.get("ready_24h", 0),
        },
    )


@capability_required(Cap.UNITS_EDIT)
def province_settings(request, code: str):
    province = _unit_or_404(code)
    if province.level != Level.PROVINCE:
        raise Http404
    if not scope_for(request.user, Cap.UNITS_EDIT).contains(province.path):
        raise Http404
    today = clock.today()
    current = setting_in_force(province.pk, today)
    initial = {"effective_from": today}
    if current is not None:
        initial.update(
            {name: getattr(current, name) for name in ProvinceSettingForm.Meta.fields if name != "effective_from"}
        )
    form = ProvinceSettingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in ProvinceSettingForm.Meta.fields if name != "effective_from"}
        try:
            do_save_province_setting(
                request.user, province, effective_from=form.cleaned_data["effective_from"], **values
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("risk:unit", code=province.code)
    return render(
        request,
        "risk/settings_form.html",
        {
            "unit": province,
            "form": form,
            "current": current,
            "breadcrumbs": province.ancestors(),
            "versions": ProvinceRiskSetting.objects.filter(province=province).select_related("created_by")[:20],
        },
    )


@capability_required(Cap.UNITS_VIEW)
def scenario(request, code: str):
    unit = _unit_or_404(code)
    state = ScenarioState.objects.filter(unit=unit).first()
    plan = None
    if state is not None and state.scenario:
        try:
            plan = select_scenario(
                state.active_cases, on=state.updated_on, province=unit.province_code, config=deployment_config()
            )
        except ConfigError:
            plan = None
    tasks = list(tasks_of(unit).select_related("unit"))
    return render(
        request,
        "risk/scenario.html",
        {
            "unit": unit,
            "state": state,
            "plan": plan,
            "tasks": tasks,
            "lang": lang(),
            "can_edit": scope_for(request.user, Cap.UNITS_EDIT).contains(unit.path),
            "breadcrumbs": unit.ancestors(),
            "status_form": TaskStatusForm(),
        },
    )


@require_POST
@capability_required(Cap.UNITS_EDIT)
def task_status(request, pk: int):
    task = Task.objects.for_user(request.user, Cap.UNITS_EDIT).select_related("unit").filter(pk=pk).first()
    if task is None:
        raise Http404
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        try:
            do_set_task_status(request.user, task, status=form.cleaned_data["status"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Task updated."))
    else:
        messages.error(request, _("Unknown status."))
    return redirect(reverse("risk:scenario", args=[task.unit.code]) + f"#task-{task.pk}")


@capability_required(Cap.UNITS_VIEW)
def measures(request):
    form = MeasuresForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    day = dates.shown_day(data.get("date"))
    province = data.get("province") or ""
    config = deployment_config()
    framework = data.get("framework") or framework_on(config, day, province or None) or "2686"
    province_unit = AdminUnit.objects.filter(code=province, level=Level.PROVINCE).first() if province else None
    shown = catalogue_day(framework, day, config)
    return render(
        request,
        "risk/measures.html",
        {
            "form": form,
            "day": day,
            "shown_day": shown,
            "framework": framework,
            "framework_title": framework_title(framework, lang()),
            "levels": catalogue(
                framework, on=shown, province=province_unit.code if province_unit else None, config=config
            ),
            "province": province_unit,
            "lang": lang(),
        },
    )
