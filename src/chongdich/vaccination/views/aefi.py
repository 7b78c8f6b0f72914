"""AEFI pages: the list (and the district's inbox), report from a dose, a report's page, edit, acknowledge."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit
from chongdich.core.access import capability_required, require_in_scope
from chongdich.core.forms import client_id, submit
from chongdich.core.pagination import paginate_table
from chongdich.vaccination.actions.aefi import do_acknowledge_aefi, do_report_aefi, do_update_aefi
from chongdich.vaccination.filters.aefi import AefiFilter
from chongdich.vaccination.forms.aefi import AefiForm
from chongdich.vaccination.models import EDIT, VIEW
from chongdich.vaccination.selectors import aefi as selectors
from chongdich.vaccination.selectors.stock import product_name
from chongdich.vaccination.tables.aefi import AefiTable
from chongdich.vaccination.views.stock import _common


@capability_required(VIEW)
def aefi_list(request):
    filters = AefiFilter(request.GET, selectors.reports_for(request.user), request=request)
    table = paginate_table(request, AefiTable(filters.results()), per_page=50)
    audit.record_read(request, _("AEFI reports"), table.page.object_list)
    return render(request, "vaccination/aefi/list.html", {"filter": filters, "table": table} | _common(request))


@capability_required(EDIT)
def aefi_create(request):
    pk = request.POST.get("dose") or request.GET.get("dose")
    if not pk:
        raise Http404
    dose = selectors.dose_for_report(request.user, pk)
    form = AefiForm(request.POST or None, dose=dose)
    if request.method == "POST" and form.is_valid():
        done = submit(form, do_report_aefi, request.user, dose, data=form.report_data(), client_id=client_id(request))
        if done:
            report, _created = done.value
            messages.success(request, _("The reaction was reported."))
            return redirect(report)
    audit.record_read(request, _("Report a reaction after vaccination"), [dose], obj=dose)
    return render(
        request,
        "vaccination/aefi/form.html",
        {"form": form, "dose": dose, "report": None, "person": dose.person, "product": product_name(dose.product)}
        | _common(request),
    )


@capability_required(VIEW)
def aefi_detail(request, pk: int):
    report = selectors.report_page(request.user, pk)
    audit.record_read(request, _("AEFI report"), [report], obj=report)
    return render(
        request,
        "vaccination/aefi/detail.html",
        {
            "report": report,
            "may_acknowledge": selectors.may_acknowledge(request.user, report),
            "may_edit": selectors.may_edit(request.user, report),
            "product": product_name(report.dose.product),
        }
        | _common(request),
    )


@capability_required(EDIT)
def aefi_edit(request, pk: int):
    report = selectors.report_page(request.user, pk, EDIT)
    form = AefiForm(request.POST or None, dose=report.dose, initial=AefiForm.initial_of(report))
    if request.method == "POST" and form.is_valid():
        if submit(form, do_update_aefi, request.user, report, data=form.report_data()):
            messages.success(request, _("Saved."))
            return redirect(report)
    audit.record_read(request, _("AEFI report"), [report], obj=report)
    return render(
        request,
        "vaccination/aefi/form.html",
        {
            "form": form,
            "dose": report.dose,
            "report": report,
            "person": report.person,
            "product": product_name(report.dose.product),
        }
        | _common(request),
    )


@require_POST
@capability_required(EDIT)
def aefi_acknowledge(request, pk: int):
    report = selectors.report_page(request.user, pk)
    require_in_scope(request.user, EDIT, selectors.district_path(report.unit_path))
    done = submit(request, do_acknowledge_aefi, request.user, report)
    if done:
        messages.success(request, _("Acknowledged: the reaction left the district's inbox."))
    return redirect(report)
