"""Forecast pages: the overview (where it is getting worse, what runs out first), a unit's page (Rt over
time, the projection's fan chart, demand, thresholds, how good the forecasts have been), the province's
forecast settings and the runs (with a run started by hand).

Every figure is read from the nightly run's tables (``forecast.selectors``), never recomputed here."""

from __future__ import annotations

from datetime import date, timedelta
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit, clock
from chongdich.core.access import capability_required, get_in_scope_or_404
from chongdich.core.forms import submit
from chongdich.core.pagination import paginate_table
from chongdich.core.responses import xlsx_response
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability, scope_for
from chongdich.forecast import actions, charts, selectors
from chongdich.forecast.exports import export_ranking, export_runouts
from chongdich.forecast.filters import RankingFilter, RunoutFilter
from chongdich.forecast.forms import PlaceForm, RunForm, SettingsForm
from chongdich.forecast.models import Method, RunStatus
from chongdich.forecast.tables import RankingTable, RunoutTable, RunTable
from chongdich.risk.models import level_label
from chongdich.risk.selectors import published
from chongdich.risk.templatetags.risk_tags import lang, level_badge

PAGE_SIZE = 25
DEMAND = (
    ("treatment", _("Treatment beds")),
    ("oxygen", _("Oxygen beds")),
    ("icu", _("ICU beds")),
    ("quarantine", _("Quarantine places")),
    ("tests", _("Tests per day")),
    ("active", _("Active cases")),
)
HORIZONS = (7, 14, 28)
FIGURES = {
    "units": _("Units"),
    "estimates": _("Rt estimates"),
    "projections": _("Projections"),
    "scores": _("Scores"),
    "runouts": _("Thresholds"),
    "notices": _("Alerts"),
    "seconds": _("Seconds"),
}


# -- where ---------------------------------------------------------------------------------------------


def _place(request, form: PlaceForm, *, allow_nation: bool = True):
    """(scope, roots, the place asked for or the user's first area); 404 outside the scope."""
    scope, roots = selectors.places_for(request.user)
    code = (request.GET.get("unit") or "").strip()[:20]
    if code:
        place = selectors.place_for(request.user, code, scope)
        if place is None or (place.is_nation and not allow_nation):
            raise Http404
    else:
        place = roots[0] if roots else None
    if place is None:
        raise Http404
    return scope, roots, place


def _choices(place, roots, crumbs) -> list[tuple[str, str]]:
    """Units offered by the picker: the user's areas, the way down to this place, its children."""
    seen, result = set(), []
    for code, label in [
        *((r.code, r.name) for r in roots),
        *crumbs,
        *((code, "— " + name) for code, name in selectors.children_of(place)),
    ]:
        if code not in seen:
            seen.add(code)
            result.append((code, label))
    return result


def _levels(place, day: date, *, html: bool) -> dict[str, str]:
    """The risk level in force of each child unit (a badge for the page, its label for the export)."""
    found = {}
    for item in published(day, parent=place.unit):
        if html:
            found[item.code] = render_to_string("risk/_badge.html", level_badge(item.framework, item.level))
        elif item.level is not None:
            found[item.code] = level_label(item.framework, item.level, lang())
    return found


def _lists(request, place, day: date, by: str):
    ranking = RankingFilter(request.GET or None, queryset=selectors.ranking(request.user, place, day, by))
    runouts = RunoutFilter(request.GET or None, queryset=selectors.runouts(request.user, place, day))
    return ranking, runouts


# -- overview --------------------------------------------------------------------------------------------


@capability_required(Cap.FORECAST_VIEW)
def overview(request):
    form = PlaceForm(request.GET or None)
    scope, roots, place = _place(request, form)
    day, by = form.day_shown(), form.ranking()
    ranking, runouts = _lists(request, place, day, by)
    ranking_table = RankingTable(
        ranking.results(),
        levels=_levels(place, day, html=True),
        prefix="r-",
        day=day if request.GET.get("day") else None,
    )
    paginate_table(request, ranking_table, per_page=PAGE_SIZE, lazy=False)
    runout_table = RunoutTable(runouts.results(), prefix="o-")
    paginate_table(request, runout_table, per_page=PAGE_SIZE, lazy=False)
    crumbs = selectors.breadcrumbs(place, scope)
    estimated = selectors.estimate_day(request.user, place, day)
    return render(
        request,
        "forecast/overview.html",
        {
            "form": form,
            "place": place,
            "day": day,
            "today": clock.today(),
            "by": by,
            "estimated_on": estimated,
            "runouts_on": selectors.runout_day(request.user, place, day),
            "own": selectors.place_estimate(request.user, place, day),
            "ranking_filter": ranking,
            "runout_filter": runouts,
            "ranking_table": ranking_table,
            "runout_table": runout_table,
            "ranking_count": ranking_table.paginator.count,
            "runout_count": runout_table.paginator.count,
            "crumbs": crumbs,
            "choices": _choices(place, roots, crumbs),
            "query": _query(request, ("unit", "day")),
            "filters_query": _query(request, ("unit", "day", "by", "q", "reliable", "kind", "within")),
            "can_edit": has_capability(request.user, Cap.FORECAST_EDIT),
        },
    )


def _query(request, names) -> str:
    return urlencode([(name, request.GET[name]) for name in names if request.GET.get(name)])


@capability_required(Cap.FORECAST_VIEW)
def ranking_export(request):
    form = PlaceForm(request.GET or None)
    _scope, _roots, place = _place(request, form)
    day, by = form.day_shown(), form.ranking()
    ranking, _runouts = _lists(request, place, day, by)
    content, count = export_ranking(ranking.results(), _levels(place, day, html=False))
    audit.record_read(request, _("Forecasts"), [], action=audit.AuditAction.EXPORT, count=count, detail={"rows": count})
    return xlsx_response(content, f"du-bao-noi-tang-nhanh-{place.code}-{day:%Y%m%d}.xlsx")


@capability_required(Cap.FORECAST_VIEW)
def runout_export(request):
    form = PlaceForm(request.GET or None)
    _scope, _roots, place = _place(request, form)
    day, by = form.day_shown(), form.ranking()
    _ranking, runouts = _lists(request, place, day, by)
    content, count = export_runouts(runouts.results())
    audit.record_read(request, _("Forecasts"), [], action=audit.AuditAction.EXPORT, count=count, detail={"rows": count})
    return xlsx_response(content, f"du-bao-het-truoc-{place.code}-{day:%Y%m%d}.xlsx")


# -- a unit ---------------------------------------------------------------------------------------------------


def _short(day: date) -> str:
    return day.strftime("%d/%m")


def _rt_chart(series) -> str:
    labels = [_short(e.day) for e in series]
    sure = [e.reliable and e.rt_mean is not None for e in series]
    return charts.rt_chart(
        labels,
        [e.rt_mean if ok else None for e, ok in zip(series, sure, strict=True)],
        [e.rt_lo if ok else None for e, ok in zip(series, sure, strict=True)],
        [e.rt_hi if ok else None for e, ok in zip(series, sure, strict=True)],
        title=_("Rt over the last %(n)s days, with its 95%% interval") % {"n": len(series)},
        legend=(_("Rt (mean)"), _("interval (95%)"), _("Rt = 1")),
    )


def _fan(place, projection, imported: str):
    """(chart, rows of the table): the last 28 days observed, then 28 days projected."""
    as_of = projection.as_of
    first = as_of - timedelta(days=selectors.OBSERVED_DAYS - 1)
    seen = selectors.observed(place, first, as_of, imported)
    quantiles = {key: list(projection.quantiles.get(key, []))[: selectors.OBSERVED_DAYS] for key in charts_keys()}
    ahead = len(quantiles.get("q50", []))
    days = [d for d, _v in seen] + [as_of + timedelta(days=i + 1) for i in range(ahead)]
    tips = [_("%(day)s: %(n)s cases") % {"day": d.strftime("%d/%m/%Y"), "n": v} for d, v in seen]
    chart = charts.fan_chart(
        [_short(d) for d in days],
        [v for _d, v in seen],
        quantiles,
        title=_("Daily new cases: the last %(past)s days and the projection for %(ahead)s days")
        % {"past": len(seen), "ahead": ahead},
        legend=(_("Observed"), _("Median"), _("interval (50%)"), _("interval (90%)")),
        tips=tips,
    )
    rows = [
        (
            as_of + timedelta(days=i + 1),
            *(quantiles[key][i] if i < len(quantiles[key]) else None for key in charts_keys()),
        )
        for i in range(ahead)
    ]
    return chart, rows, seen


def charts_keys() -> tuple[str, ...]:
    return ("q05", "q25", "q50", "q75", "q95")


def _demand(projection) -> list[tuple[str, list[tuple]]]:
    """(label, [(median, 95%) at 7, 14 and 28 days]) per kind of demand the projection holds."""
    rows = []
    demand = projection.demand or {}
    for key, label in DEMAND:
        paths = demand.get(key)
        if not paths:
            continue
        cells = []
        for h in HORIZONS:
            median, upper = paths.get("q50") or [], paths.get("q95") or []
            cells.append((median[h - 1] if len(median) >= h else None, upper[h - 1] if len(upper) >= h else None))
        rows.append((label, cells))
    return rows


@capability_required(Cap.FORECAST_VIEW)
def unit_page(request, code: str):
    scope = scope_for(request.user, Cap.FORECAST_VIEW)
    place = selectors.place_for(request.user, code, scope)
    if place is None or place.is_nation:
        raise Http404
    form = PlaceForm(request.GET or None)
    day = form.day_shown()
    estimate = selectors.place_estimate(request.user, place, day)
    series = selectors.rt_series(request.user, place, estimate.day if estimate else day)
    projection = selectors.projection(request.user, place, day, Method.RENEWAL)
    naive = selectors.projection(request.user, place, day, Method.NAIVE)
    imported = selectors.imported_choice(place)
    fan, fan_rows, seen = _fan(place, projection, imported) if projection else ("", [], [])
    # Scores and thresholds as of the day the figures shown were made (the night's run may be missing).
    as_of = estimate.day if estimate else (projection.as_of if projection else day)
    accuracy = selectors.accuracy(request.user, place, as_of)
    verdicts = {
        lead: selectors.verdict(by_method[Method.RENEWAL], by_method[Method.NAIVE])
        for lead, by_method in accuracy.items()
    }
    runouts = selectors.runouts(request.user, place, as_of)
    return render(
        request,
        "forecast/unit.html",
        {
            "place": place,
            "unit": place.unit,
            "day": day,
            "today": clock.today(),
            "estimate": estimate,
            "series": series,
            "series_rows": list(reversed(series)),
            "rt_chart": _rt_chart(series) if series else "",
            "projection": projection,
            "naive": naive,
            "fan_chart": fan,
            "fan_rows": fan_rows,
            "observed_total": sum(v for _d, v in seen),
            "demand": _demand(projection) if projection else [],
            "horizons": HORIZONS,
            "accuracy": [(lead, by_method, verdicts[lead]) for lead, by_method in accuracy.items()],
            "imported": imported,
            "config_version": (estimate.config_version if estimate else "")
            or (projection.config_version if projection else ""),
            "runouts": runouts[:10],
            "runout_count": runouts.count(),
            "crumbs": selectors.breadcrumbs(place, scope),
        },
    )


# -- settings -------------------------------------------------------------------------------------------------


@capability_required(Cap.FORECAST_EDIT)
def settings_page(request):
    provinces = selectors.provinces_to_set(request.user)
    if not provinces:
        raise Http404
    code = (request.GET.get("province") or request.POST.get("province") or "").strip()[:20]
    province = next((p for p in provinces if p.code == code), None) if code else provinces[0]
    if province is None:
        raise Http404
    setting = selectors.setting_of(province)
    current = dict(setting.overrides) if setting else {}
    form = SettingsForm(request.POST or None, initial=SettingsForm.initial_from(current))
    if request.method == "POST" and form.is_valid():
        if submit(form, actions.do_save_settings, request.user, province, form.overrides()):
            messages.success(request, _("The forecast settings were saved; they apply from the next run."))
            return redirect(f"{request.path}?province={province.code}")
    return render(
        request,
        "forecast/settings.html",
        {
            "form": form,
            "province": province,
            "provinces": provinces,
            "setting": setting,
            "history": [
                (entry.history_date, entry.history_user, _described(entry.overrides or {}))
                for entry in selectors.setting_history(setting)
            ],
        },
    )


def _described(overrides: dict) -> list[tuple[str, str]]:
    """The overrides as the form's labels and the values typed (no internal keys on the page)."""
    form = SettingsForm(initial=SettingsForm.initial_from(overrides))
    lines = []
    for name, field in form.fields.items():
        value = form.initial.get(name)
        if value in (None, ""):
            continue
        if name == "imported":
            value = dict(field.choices).get(value, value)
        elif isinstance(value, float):
            value = number_format(value)
        lines.append((str(field.label), str(value)))
    return lines


# -- runs ----------------------------------------------------------------------------------------------------


@capability_required(Cap.FORECAST_VIEW)
def run_list(request):
    table = RunTable(selectors.runs())
    paginate_table(request, table, per_page=PAGE_SIZE, lazy=False)
    can_start = has_capability(request.user, Cap.FORECAST_EDIT) and _starter() is not None
    return render(
        request,
        "forecast/runs.html",
        {"table": table, "can_start": can_start, "form": RunForm() if can_start else None},
    )


def _starter():
    """The nightly's ``do_start_run(actor, day)`` once it is in ``forecast.actions``."""
    return getattr(actions, "do_start_run", None)


def _figures(figures: dict, prefix: str = "") -> list[tuple[str, str]]:
    """The run's figures as (label, value) lines: counts of rows, timings of the steps (nested)."""
    lines = []
    for key, value in figures.items():
        label = f"{prefix}{FIGURES.get(key, str(key).replace('_', ' ').capitalize())}"
        if isinstance(value, dict):
            lines += _figures(value, f"{label} · ")
        elif isinstance(value, bool) or not isinstance(value, (int, float)):
            lines.append((label, str(value)))
        else:
            lines.append((label, number_format(value, 0 if isinstance(value, int) else 2, force_grouping=True)))
    return lines


@capability_required(Cap.FORECAST_VIEW)
def run_page(request, pk: int):
    run = get_in_scope_or_404(selectors.runs(), pk=pk)
    template = "forecast/_run_status.html" if request.htmx else "forecast/run.html"
    can_start = has_capability(request.user, Cap.FORECAST_EDIT) and _starter() is not None
    return render(
        request,
        template,
        {
            "run": run,
            "running": run.status in (RunStatus.QUEUED, RunStatus.RUNNING),
            "percent": int(100 * run.done / run.total) if run.total else (100 if run.status == RunStatus.DONE else 0),
            "figures": _figures(run.figures or {}),
            "can_start": can_start,
            "form": RunForm(initial={"day": run.day}) if can_start else None,
        },
    )


@require_POST
@capability_required(Cap.FORECAST_EDIT)
def run_start(request):
    starter = _starter()
    if starter is None:
        messages.error(request, _("Runs cannot be started by hand on this installation yet."))
        return redirect("forecast:runs")
    form = RunForm(request.POST)
    if form.is_valid():
        done = submit(form, starter, request.user, form.cleaned_data["day"])
        if done:
            run = done.value
            messages.success(request, _("The forecast run was started."))
            return redirect(run)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)
    return redirect("forecast:runs")
