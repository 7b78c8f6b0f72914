from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.db.models import Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from chongdich.core import audit
from chongdich.core.access import capability_required, get_in_scope_or_404
from chongdich.core.forms import ImportUploadForm
from chongdich.core.imports import REGISTRY, importer_for, start_import
from chongdich.core.models import AuditEvent, ImportJob, ImportStatus
from chongdich.core.pagination import SafeLazyPaginator
from chongdich.core.responses import xlsx_response
from chongdich.core.roles import Cap
from chongdich.core.scoping import has_capability, path_filter, scope_for
from chongdich.core.tasks import check_import, enqueue
from chongdich.territory.models import AdminUnit


def _jobs_for(user):
    capabilities = {importer.capability for importer in REGISTRY.values()}
    condition = None
    for capability in capabilities:
        scope = scope_for(user, capability)
        if scope.everything:
            return ImportJob.objects.all()
        if scope.paths:
            q = path_filter(scope, "unit_path")
            condition = q if condition is None else condition | q
    return ImportJob.objects.filter(condition) if condition is not None else ImportJob.objects.none()


@login_required
def imports(request):
    kinds = [importer for importer in REGISTRY.values() if has_capability(request.user, importer.capability)]
    if not kinds:
        raise PermissionDenied
    jobs = _jobs_for(request.user).select_related("created_by", "unit")[:100]
    return render(request, "core/imports.html", {"jobs": jobs, "kinds": kinds})


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
    scope = scope_for(request.user, importer.capability)
    units = AdminUnit.objects.order_by("path")
    units = units.filter(parent__isnull=True) if scope.everything else units.filter(path__in=scope.paths)
    if not scope.everything:
        # The units granted and their communes, so that a district officer can import for one commune.
        condition = path_filter(scope, "path")
        units = AdminUnit.objects.filter(condition, level__in=["province", "district", "commune"]).order_by("path")[
            :800
        ]
    form = ImportUploadForm(request.POST or None, request.FILES or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = AdminUnit.objects.get(code=form.cleaned_data["unit"])
        if not scope.contains(unit.path):
            raise Http404
        upload = form.cleaned_data["file"]
        job = ImportJob(
            kind=kind, created_by=request.user, unit=unit, unit_path=unit.path, original_name=upload.name[:200]
        )
        job.file.save(upload.name, upload, save=False)
        with transaction.atomic():
            job.save()
            enqueue(check_import, job.pk, get_language(), job.attempt)
        return redirect("core:import_detail", pk=job.pk)
    return render(request, "core/import_new.html", {"form": form, "importer": importer})


def _job_or_404(request, pk: int) -> ImportJob:
    """A job of the user's area for a kind they may import: without any import function 403; a job of
    another area or of a kind they may not import (a lab's results for a people officer) 404."""
    if not any(has_capability(request.user, importer.capability) for importer in REGISTRY.values()):
        raise PermissionDenied
    job = get_in_scope_or_404(_jobs_for(request.user).select_related("unit", "created_by"), pk=pk)
    importer = REGISTRY.get(job.kind)
    if importer is None or not scope_for(request.user, importer.capability).contains(job.unit_path):
        raise Http404
    return job


@login_required
def import_detail(request, pk: int):
    job = _job_or_404(request, pk)
    importer = importer_for(job.kind)
    template = "core/_import_status.html" if request.htmx else "core/import_detail.html"
    return render(
        request, template, {"job": job, "importer": importer, "can_confirm": job.created_by_id == request.user.pk}
    )


@require_POST
@login_required
def import_confirm(request, pk: int):
    job = _job_or_404(request, pk)
    if job.created_by_id != request.user.pk:
        raise PermissionDenied
    if job.status != ImportStatus.CHECKED or not job.importable:  # nothing to confirm: the page says why
        return redirect("core:import_detail", pk=job.pk)
    importer = importer_for(job.kind)
    if importer.all_or_nothing and job.rejected:
        return redirect("core:import_detail", pk=job.pk)
    start_import(job, get_language())
    return redirect("core:import_detail", pk=job.pk)


@login_required
def import_rejected(request, pk: int):
    job = _job_or_404(request, pk)
    if not job.rejected_file:
        raise Http404
    # The rows carry names, birth dates, ID numbers and phones: reading them is a read of personal data.
    audit.record(
        request.user,
        audit.AuditAction.EXPORT,
        job,
        unit_path=job.unit_path,
        label=job.original_name,
        detail={"list": "rejected rows", "kind": job.kind, "rows": job.rejected},
    )
    return FileResponse(job.rejected_file.open("rb"), as_attachment=True, filename=f"dong-bi-loai-{job.pk}.xlsx")


@capability_required(Cap.AUDIT_VIEW)
def audit_log(request):
    scope = scope_for(request.user, Cap.AUDIT_VIEW)
    events = AuditEvent.objects.select_related("actor")
    condition = path_filter(scope, "unit_path")
    if condition is not None:
        # Events of the user's area, and the user's own actions (logins, searches).
        events = events.filter(condition | Q(actor=request.user))
    action = request.GET.get("action", "")
    if action:
        events = events.filter(action=action)
    actor = request.GET.get("actor", "").strip()
    if actor:
        events = events.filter(actor_label__icontains=actor)
    page = SafeLazyPaginator(events.order_by("-at", "-id"), 100).get_page(request.GET.get("page"))
    for event in page:
        # The user's own actions on records of another area (a duplicate warning, a person moved away):
        # the action and time, nothing of the record.
        event.in_scope = not event.unit_path or scope.contains(event.unit_path)
    # Labels of the events name people; the people's own records are listed by id (those shown only).
    shown = [
        int(e.object_id)
        for e in page.object_list
        if e.in_scope and e.object_type == "people.person" and e.object_id.isdigit()
    ]
    audit.record_read(request, _("Audit log"), shown, detail={"events": [e.pk for e in page.object_list]})
    return render(
        request,
        "core/audit.html",
        {"page": page, "action": action, "actor": actor, "actions": AuditEvent._meta.get_field("action").choices},
    )


def forbidden(request, exception=None):
    return render(request, "403.html", status=403)


def not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)


def favicon(request):
    """The icon's static address is resolved per request: a hashed name in production."""
    return redirect(static("chongdich/favicon.svg"), permanent=True)


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
