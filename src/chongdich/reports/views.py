"""Daily report pages: pick a unit and day; a unit's report (figures, changes since it was saved,
comments, save and send); Excel and PDF; reopen a sent report; a province's cut-off hour.

Reading needs ``units.view`` on the unit (404 outside the scope); writing needs ``units.edit``
(403 for a role without it, 404 outside the scope).  Every page works without JavaScript.
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import clock, dates
from chongdich.core.access import capability_required, get_in_scope_or_404, require_in_scope
from chongdich.core.forms import submit
from chongdich.core.responses import xlsx_response
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability, in_scope
from chongdich.reports import exports, selectors
from chongdich.reports.actions import (
    do_record_export,
    do_reopen_report,
    do_save_report,
    do_send_report,
    do_set_cut_off,
)
from chongdich.reports.forms import CutOffForm, PickForm, ReopenForm, ReportForm
from chongdich.reports.indicators import changes, figures
from chongdich.reports.selectors import cut_off_for
from chongdich.territory.models import AdminUnit, Level


def _unit_or_404(user, code: str, capability: str = Cap.UNITS_VIEW) -> AdminUnit:
    """A province, district or commune where ``user`` holds ``capability``; 404 otherwise."""
    unit = get_in_scope_or_404(selectors.reported_units(), code=code)
    require_in_scope(user, capability, unit)
    return unit


def _day_or_404(value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        raise Http404 from None
    if dates.shown_day(day) != day:  # no report before the epidemic or for a day to come
        raise Http404
    return day


@capability_required(Cap.UNITS_VIEW)
def index(request):
    form = PickForm(request.GET or None)
    today = clock.today()
    if form.is_bound and form.is_valid() and form.cleaned_data.get("unit"):
        unit = _unit_or_404(request.user, form.cleaned_data["unit"].strip())
        day = dates.shown_day(form.cleaned_data.get("date"))
        return redirect("reports:detail", code=unit.code, day=day.isoformat())
    unit = selectors.default_unit(request.user)
    day = today
    return render(
        request,
        "reports/index.html",
        {
            "form": form,
            "unit": unit,
            "day": day,
            "today": today,
            "children": selectors.children_status(unit, day) if unit else [],
            "own": selectors.report_of(unit, day) if unit else None,
            "recent": selectors.reports_for(request.user)[:30],
            "can_settings": unit is not None
            and unit.level == Level.PROVINCE
            and in_scope(request.user, Cap.UNITS_EDIT, unit),
            "breadcrumbs": unit.ancestors() if unit else [],
        },
    )


@capability_required(Cap.UNITS_VIEW)
def today(request, code: str):
    unit = _unit_or_404(request.user, code)
    return redirect("reports:detail", code=unit.code, day=clock.today().isoformat())


@capability_required(Cap.UNITS_VIEW)
def detail(request, code: str, day: str):
    if request.method == "POST" and not has_capability(request.user, Cap.UNITS_EDIT):
        raise PermissionDenied
    unit = _unit_or_404(request.user, code)
    day = _day_or_404(day)
    can_write = in_scope(request.user, Cap.UNITS_EDIT, unit)
    if request.method == "POST" and not can_write:
        raise Http404
    report = selectors.report_of(unit, day)
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            send = request.POST.get("action") == "send"
            if submit(form, do_send_report if send else do_save_report, request.user, unit, day, **form.cleaned_data):
                messages.success(
                    request, _("The report was sent.") if send else _("The draft was saved with the figures of now.")
                )
                return redirect("reports:detail", code=unit.code, day=day.isoformat())
    else:
        initial = {"cut_off": report.cut_off if report else cut_off_for(unit)}
        if report is not None:
            initial.update(
                number=report.number, comments=report.comments, recipients=report.recipients, signer=report.signer
            )
        elif unit.parent_id:
            initial["recipients"] = "\n".join(
                [
                    _("- The steering committee of %(unit)s (to report);") % {"unit": unit.parent.name},
                    _("- Archive: office."),
                ]
            )
        form = ReportForm(initial=initial)
    cut_off = report.cut_off if report is not None else cut_off_for(unit)
    live = figures(unit, day, cut_off)
    doc = exports.document(unit, day, report, live, cut_off)
    return render(
        request,
        "reports/detail.html",
        {
            "unit": unit,
            "day": day,
            "today": clock.today(),
            "report": report,
            "doc": doc,
            "form": form,
            "changed": changes(report.indicators, live) if report is not None and report.indicators else [],
            "can_write": can_write,
            "reopen_form": ReopenForm(),
            "child_reports": {child.code: found for child, found in selectors.children_status(unit, day)},
            "previous_day": date.fromordinal(day.toordinal() - 1),
            "next_day": date.fromordinal(day.toordinal() + 1),
            "breadcrumbs": unit.ancestors(),
        },
    )


def _export(request, code: str, day: str, kind: str) -> HttpResponse:
    unit = _unit_or_404(request.user, code)
    day = _day_or_404(day)
    report = selectors.report_of(unit, day)
    cut_off = report.cut_off if report is not None else cut_off_for(unit)
    live = None if report is not None and report.indicators else figures(unit, day, cut_off)
    doc = exports.document(unit, day, report, live, cut_off)
    do_record_export(request.user, unit, day, report, kind)
    if kind == "xlsx":
        return xlsx_response(exports.xlsx_bytes(doc), exports.filename(doc, "xlsx"))
    response = HttpResponse(exports.pdf_bytes(doc), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{exports.filename(doc, "pdf")}"'
    return response


@capability_required(Cap.UNITS_VIEW)
def export_xlsx(request, code: str, day: str):
    return _export(request, code, day, "xlsx")


@capability_required(Cap.UNITS_VIEW)
def export_pdf(request, code: str, day: str):
    return _export(request, code, day, "pdf")


@require_POST
@capability_required(Cap.UNITS_EDIT)
def reopen(request, code: str, day: str):
    unit = _unit_or_404(request.user, code, Cap.UNITS_EDIT)
    report = selectors.report_of(unit, _day_or_404(day))
    if report is None:
        raise Http404
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the report is reopened."))
    elif submit(request, do_reopen_report, request.user, report, reason=form.cleaned_data["reason"]):
        messages.success(request, _("The report is a draft again: correct it and send it again."))
    return redirect("reports:detail", code=unit.code, day=report.day.isoformat())


@capability_required(Cap.UNITS_EDIT)
def settings_page(request, code: str):
    province = get_in_scope_or_404(selectors.provinces(), code=code)
    require_in_scope(request.user, Cap.UNITS_EDIT, province)
    current = selectors.cut_off_setting(province)
    form = CutOffForm(request.POST or None, initial={"cut_off": cut_off_for(province)})
    if request.method == "POST" and form.is_valid():
        if submit(form, do_set_cut_off, request.user, province, cut_off=form.cleaned_data["cut_off"]):
            messages.success(request, _("Saved."))
            return redirect("reports:index")
    return render(
        request,
        "reports/settings.html",
        {"unit": province, "form": form, "current": current, "breadcrumbs": province.ancestors()},
    )
