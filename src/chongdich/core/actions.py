"""The ``do_*`` actions on import jobs: the only writers of ``ImportJob`` rows outside the import run."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import audit
from chongdich.core.imports import REGISTRY, importer_for
from chongdich.core.models import ImportJob, ImportRejectedRow, ImportStatus
from chongdich.core.scoping import in_scope
from chongdich.core.tasks import check_import, enqueue, run_import


def do_upload_import(actor, *, kind: str, unit, upload, language_code: str) -> ImportJob:
    """Keep an uploaded file as a job of ``kind`` for ``unit`` and queue its check (a dry run)."""
    importer = REGISTRY.get(kind)
    if importer is None or not in_scope(actor, importer.capability, unit):
        raise PermissionDenied(_("You may only import for your area."))
    job = ImportJob(kind=kind, created_by=actor, unit=unit, unit_path=unit.path, original_name=upload.name[:200])
    job.file.save(upload.name, upload, save=False)
    with transaction.atomic():
        job.save()
        enqueue(check_import, job.pk, language_code, job.attempt)
    return job


def do_confirm_import(actor, job: ImportJob, language_code: str) -> bool:
    """The job's creator confirms its checked file: the import runs.  False when there is nothing to
    confirm (not checked, nothing importable, or rows rejected for an all-or-nothing kind)."""
    if job.created_by_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the person who uploaded the file may confirm it."))
    if job.status != ImportStatus.CHECKED or not job.importable:
        return False
    if importer_for(job.kind).all_or_nothing and job.rejected:
        return False
    start_import(job, language_code)
    return True


def start_import(job: ImportJob, language_code: str) -> None:
    """Confirm a checked job: it becomes the next run, starts from its first row, and is queued with it."""
    with transaction.atomic():
        claimed = ImportJob.objects.filter(pk=job.pk, status=ImportStatus.CHECKED, attempt=job.attempt).update(
            status=ImportStatus.IMPORTING,
            attempt=F("attempt") + 1,
            processed_rows=0,
            summary={},
            errors=[],
            message="",
            finished_at=None,
            updated_at=timezone.now(),
        )
        if claimed:
            ImportRejectedRow.objects.filter(job_id=job.pk).delete()
            enqueue(run_import, job.pk, language_code, job.attempt + 1)


def do_export_rejected(actor, job: ImportJob):
    """The file of a job's rejected rows, opened; reading it is audited (its rows carry names, birth
    dates, ID numbers and phones: a read of personal data)."""
    audit.record(
        actor,
        audit.AuditAction.EXPORT,
        job,
        unit_path=job.unit_path,
        label=job.original_name,
        detail={"list": "rejected rows", "kind": job.kind, "rows": job.rejected},
    )
    return job.rejected_file.open("rb")
