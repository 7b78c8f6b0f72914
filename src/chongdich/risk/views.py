"""Risk pages: levels by unit (overview), a unit's level with why, measures and history; the
committee's overrides, readiness and province settings; scenarios with their tasks; the measure
catalogue.  Levels are public information: every role with ``units.view`` reads every unit."""

from __future__ import annotations

from collections import Counter

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import clock, dates
from chongdich.core.access import capability_required, get_for_user_or_404, get_in_scope_or_404, require_in_scope
from chongdich.core.forms import submit
from chongdich.core.roles import Cap
from chongdich.core.scoping import in_scope
from chongdich.risk import selectors
from chongdich.risk.actions import (
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
from chongdich.risk.measures import catalogue, catalogue_day, framework_title
from chongdich.risk.models import NATION_CODE, Task
from chongdich.risk.names import lang
from chongdich.territory.models import AdminUnit

COLOURS = ("red", "orange", "yellow", "green")


def _unit_or_404(code: str) -> AdminUnit:
    """An assessed unit by code (levels are public: any unit), else 404."""
    return get_in_scope_or_404(selectors.assessed_units(), code=code)


def _unit_to_edit_or_404(user, code: str) -> AdminUnit:
    """An assessed unit the user's committee may decide for (``units.edit`` on it), else 404."""
    unit = _unit_or_404(code)
    require_in_scope(user, Cap.UNITS_EDIT, unit)
    return unit


def _day(request):
    form = DayForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data.get("date"):
        return dates.shown_day(form.cleaned_data["date"])
    return clock.today()


@capability_required(Cap.UNITS_VIEW)
def overview(request):
    form = OverviewForm(request.GET or None)
    day = _day(request)
    code = form.cleaned_data.get("unit") if form.is_bound and form.is_valid() else ""
    if code:
        parent = _unit_or_404(code)
    else:
        parent = None if "unit" in request.GET else selectors.default_parent(request.user)
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
    return render(request, "risk/unit.html", selectors.unit_page(request.user, code, unit, _day(request)))


@capability_required(Cap.UNITS_EDIT)
def override(request, code: str):
    unit = _unit_to_edit_or_404(request.user, code)
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
        if submit(
            form,
            do_override,
            request.user,
            unit,
            level=data["level"],
            reason=data["reason"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            config=config,
        ):
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
    unit = _unit_to_edit_or_404(request.user, code)
    decision = get_in_scope_or_404(selectors.overrides_of(unit), pk=pk)
    if submit(request, do_withdraw_override, request.user, decision):
        messages.success(request, _("The decision was withdrawn."))
    return redirect("risk:unit", code=unit.code)


@capability_required(Cap.UNITS_EDIT)
def readiness(request, code: str):
    unit = _unit_to_edit_or_404(request.user, code)
    current = selectors.current_readiness(unit)
    initial = {"effective_from": clock.today(), "ready": "yes" if current is None or current.ready else "no"}
    form = ReadinessForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and submit(
            form,
            do_set_readiness,
            request.user,
            unit,
            ready=form.cleaned_data["ready"],
            note=form.cleaned_data["note"],
            effective_from=form.cleaned_data["effective_from"],
        )
    ):
        messages.success(request, _("Saved."))
        return redirect("risk:unit", code=unit.code)
    return render(
        request,
        "risk/readiness_form.html",
        {
            "unit": unit,
            "form": form,
            "current": current,
            "breadcrumbs": unit.ancestors(),
            **selectors.readiness_figures(unit),
        },
    )


@capability_required(Cap.UNITS_EDIT)
def province_settings(request, code: str):
    province = get_in_scope_or_404(selectors.provinces(), code=code)
    require_in_scope(request.user, Cap.UNITS_EDIT, province)
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
        if submit(
            form,
            do_save_province_setting,
            request.user,
            province,
            effective_from=form.cleaned_data["effective_from"],
            **values,
        ):
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
            "versions": selectors.setting_versions(province),
        },
    )


@capability_required(Cap.UNITS_VIEW)
def scenario(request, code: str):
    unit = _unit_or_404(code)
    return render(
        request,
        "risk/scenario.html",
        {
            "unit": unit,
            **selectors.scenario_page(unit),
            "lang": lang(),
            "can_edit": in_scope(request.user, Cap.UNITS_EDIT, unit),
            "breadcrumbs": unit.ancestors(),
            "status_form": TaskStatusForm(),
        },
    )


@require_POST
@capability_required(Cap.UNITS_EDIT)
def task_status(request, pk: int):
    task = get_for_user_or_404(Task, request.user, Cap.UNITS_EDIT, pk=pk)
    form = TaskStatusForm(request.POST)
    if form.is_valid():
        if submit(
            request,
            do_set_task_status,
            request.user,
            task,
            status=form.cleaned_data["status"],
            note=form.cleaned_data["note"],
        ):
            messages.success(request, _("Task updated."))
    else:
        messages.error(request, _("Unknown status."))
    return redirect(task.get_absolute_url())


@capability_required(Cap.UNITS_VIEW)
def measures(request):
    form = MeasuresForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    day = dates.shown_day(data.get("date"))
    province = data.get("province") or ""
    config = deployment_config()
    framework = data.get("framework") or framework_on(config, day, province or None) or "2686"
    province_unit = selectors.province(province)
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
