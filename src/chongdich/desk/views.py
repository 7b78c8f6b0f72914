"""Imports (upload, check, confirm, rejected rows) and the audit log."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit, selectors
from chongdich.core.access import capability_required, require_in_scope
from chongdich.core.actions import do_confirm_import, do_export_rejected, do_upload_import
from chongdich.core.forms import submit
from chongdich.core.imports import REGISTRY, importer_for
from chongdich.core.models import ImportJob
from chongdich.core.pagination import paginate_table
from chongdich.core.responses import xlsx_response
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability
from chongdich.desk.filters import AuditFilter
from chongdich.desk.forms import ImportUploadForm
from chongdich.desk.tables import AuditTable
from chongdich.territory.selectors import import_units, unit_by_code


@login_required
def imports(request):
    kinds = selectors.import_kinds(request.user)
    if not kinds:
        raise PermissionDenied
    return render(request, "desk/imports.html", {"jobs": selectors.recent_jobs(request.user), "kinds": kinds})


def _importer_or_404(kind: str, user):
    if kind not in REGISTRY:
        raise Http404
    importer = importer_for(kind)
    if not has_capability(user, importer.capability):
        raise PermissionDenied
    return importer


@login_required
def import_template(request, kind: str):
    importer = _importer_or_404(kind, request.user)
    return xlsx_response(importer.template(), f"mau-{kind.replace('.', '-')}.xlsx")


@login_required
def import_new(request, kind: str):
    importer = _importer_or_404(kind, request.user)
    form = ImportUploadForm(
        request.POST or None,
        request.FILES or None,
        units=import_units(request.user, importer.capability),
        max_mb=importer.max_upload_mb,
    )
    if request.method == "POST" and form.is_valid():
        unit = unit_by_code(form.cleaned_data["unit"])
        if unit is None:
            raise Http404
        require_in_scope(request.user, importer.capability, unit)
        done = submit(
            form,
            do_upload_import,
            request.user,
            kind=kind,
            unit=unit,
            upload=form.cleaned_data["file"],
            language_code=get_language(),
        )
        if done:
            return redirect("desk:import_detail", pk=done.value.pk)
    return render(request, "desk/import_new.html", {"form": form, "importer": importer})


def _job_or_404(request, pk: int) -> ImportJob:
    """A job of the user's area for a kind they may import: without any import function 403; a job of
    another area or of a kind they may not import (a lab's results for a people officer) 404."""
    if not selectors.import_kinds(request.user):
        raise PermissionDenied
    job = selectors.job_for(request.user, pk)
    if job is None:
        raise Http404
    return job


@login_required
def import_detail(request, pk: int):
    job = _job_or_404(request, pk)
    importer = importer_for(job.kind)
    template = "desk/_import_status.html" if request.htmx else "desk/import_detail.html"
    return render(
        request,
        template,
        {
            "job": job,
            "importer": importer,
            "can_confirm": job.created_by_id == request.user.pk,
            "notes": importer.notes(job),
        },
    )


@require_POST
@login_required
def import_confirm(request, pk: int):
    job = _job_or_404(request, pk)
    do_confirm_import(request.user, job, get_language())  # nothing to confirm: the page says why
    return redirect("desk:import_detail", pk=job.pk)


@login_required
def import_rejected(request, pk: int):
    job = _job_or_404(request, pk)
    if not job.rejected_file:
        raise Http404
    return FileResponse(
        do_export_rejected(request.user, job), as_attachment=True, filename=f"dong-bi-loai-{job.pk}.xlsx"
    )


@capability_required(Cap.AUDIT_VIEW)
def audit_log(request):
    filters = AuditFilter(request.GET or None, user=request.user)
    table = paginate_table(request, AuditTable(filters.qs), per_page=100)
    events = [row.record for row in table.page.object_list]
    selectors.mark_audit_page(request.user, events)
    # Labels of the events name people; the people's own records are listed by id (those shown only).
    shown = [
        int(e.object_id) for e in events if e.in_scope and e.object_type == "people.person" and e.object_id.isdigit()
    ]
    audit.record_read(request, _("Audit log"), shown, detail={"events": [e.pk for e in events]})
    return render(request, "desk/audit.html", {"filter": filters, "table": table})
