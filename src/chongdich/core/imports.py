"""The import framework: upload → dry run (preview, row errors) → confirm → import, with progress.

Each kind of import registers an ``Importer``: the columns it understands (with the aliases
officers use), the django-import-export resource that validates and upserts rows on natural
keys, and whether it is all-or-nothing (reference data: population, adjacency) or keeps good
rows and returns the rejected ones with a reason on each (registries: people).
Both the dry run and the import run as background tasks and update the job row between chunks,
which the page polls to draw its progress bar.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import override as language
from import_export import resources
from import_export.results import RowResult
from openpyxl.utils import get_column_letter

from chongdich.core import audit, clock
from chongdich.core.models import ImportJob, ImportRejectedRow, ImportStatus
from chongdich.core.scoping import in_scope, scope_for
from chongdich.core.spreadsheets import ROW_NUMBER_KEY, ReadLimits, SpreadsheetError, read_table, write_xlsx

MAX_STORED_ERRORS = 500


def read_limits() -> ReadLimits:
    """The reader's limits from the settings (``CHONGDICH_IMPORT_MAX_ROWS`` and the like)."""
    return ReadLimits(
        max_rows=settings.CHONGDICH_IMPORT_MAX_ROWS,
        max_columns=settings.CHONGDICH_IMPORT_MAX_COLUMNS,
        memory_mb=settings.CHONGDICH_IMPORT_READER_MEMORY_MB,
        cpu_seconds=settings.CHONGDICH_IMPORT_READER_CPU_SECONDS,
    )


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazy translated header shown in the template and in error messages
    aliases: Sequence[str] = ()
    required: bool = False
    example: object = ""
    help: object = ""


@dataclass
class Outcome:
    new: int = 0
    update: int = 0
    skip: int = 0
    invalid: int = 0
    error: int = 0
    errors: list[dict] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rejected: list[tuple[list, str]] = field(default_factory=list)

    def as_summary(self) -> dict:
        return {"new": self.new, "update": self.update, "skip": self.skip, "invalid": self.invalid, "error": self.error}

    @property
    def failed(self) -> int:
        return self.invalid + self.error


def rows_of(dataset: tablib.Dataset):
    """The rows of a chunk as dicts by column key (with ``_row``, the row's number in the file)."""
    for values in dataset:
        yield dict(zip(dataset.headers, values, strict=False))


class ImportResource(resources.ModelResource):
    """Base of every importer's resource: the job, its actor, area (``target``) and day, the actor's scope
    for ``capability``, and the checks every importer makes on a row."""

    capability: str = ""  # the importer's capability: rows outside the actor's area for it are refused

    class Meta:
        fields = ()
        skip_diff = True
        report_skipped = False
        clean_model_instances = False
        batch_size = 1000  # rows per insert, for the resources that write in bulk (``use_bulk``)

    def __init__(self, job):
        super().__init__()
        self.job = job
        self.actor = job.created_by
        self.target = job.unit
        self.today = clock.today()
        self.scope = scope_for(self.actor, self.capability)
        self.dry_run = False
        self.seen: dict = {}  # a row's key → the first row of the file with it

    def import_data(self, dataset, dry_run=False, **kwargs):
        self.dry_run = dry_run  # known before the chunk's loader runs (``before_import`` is not told)
        return super().import_data(dataset, dry_run=dry_run, **kwargs)

    def check_area(self, unit, field: str = "commune") -> None:
        """Refuse a row whose unit is outside the actor's area."""
        if not in_scope(self.actor, self.capability, unit):
            raise ValidationError({field: _("%(unit)s is outside your area.") % {"unit": unit}})

    def check_first(self, key, number: int, field: str, message: str) -> None:
        """Refuse a row that repeats an earlier row of the file (the same ``key``); ``message`` names
        that row as ``%(row)s``."""
        first = self.seen.setdefault(key, number)
        if first != number:
            raise ValidationError({field: message % {"row": first}})


class Importer:
    kind: str = ""
    label = gettext_lazy("Import")
    capability: str = ""
    columns: Sequence[Column] = ()
    all_or_nothing = False
    chunk_rows: int | None = None  # rows per transaction; None: CHONGDICH_IMPORT_CHUNK_ROWS
    max_upload_mb: int | None = None  # the largest file the upload form takes; None: the desk's (40 MB)
    resource_class: type[ImportResource] | None = None

    def resource(self, job: ImportJob) -> ImportResource:
        return self.resource_class(job)

    # -- columns and files ----------------------------------------------------------------------
    def aliases(self) -> dict[str, Sequence[str]]:
        return {c.key: [str(c.label), *c.aliases] for c in self.columns}

    def required(self) -> list[str]:
        return [c.key for c in self.columns if c.required]

    def label_of(self, key: str) -> str:
        for column in self.columns:
            if column.key == key:
                return str(column.label)
        return key

    def headers(self) -> list[str]:
        """The names of the columns, in the template's order (the headers of an export that imports back)."""
        return [str(c.label) for c in self.columns]

    def limits(self) -> ReadLimits:
        """How much of a file this importer reads: ``read_limits()`` (the settings) unless it needs more."""
        return read_limits()

    def template(self) -> bytes:
        headers = self.headers()
        return write_xlsx(headers, [[c.example for c in self.columns]], widths=[max(12, len(h) + 4) for h in headers])

    def read(self, job: ImportJob) -> tablib.Dataset:
        job.file.open("rb")
        try:
            content = job.file.read()
        finally:
            job.file.close()
        try:
            return read_table(content, job.original_name, self.aliases(), self.required(), self.limits())
        except SpreadsheetError as exc:
            raise ValidationError(self.refusal(exc)) from exc

    def refusal(self, exc: SpreadsheetError) -> str:
        """What the officer reads when the file cannot be taken as a list."""
        limits = self.limits()
        if exc.code == "header":
            names = ", ".join(f"“{self.label_of(k)}”" for k in self.required())
            return _(
                "No header row with the required columns %(columns)s was found in the first rows. "
                "Download the template and copy your data into it."
            ) % {"columns": names}
        if exc.code == "too_large":
            return _(
                "This sheet reaches row %(rows)s and column %(column)s; a file can hold at most %(max_rows)s rows "
                "and %(max_columns)s columns. Delete the empty rows and columns after your data, or split the list "
                "into several files, and upload it again."
            ) % {
                "rows": number_format(exc.params["rows"], force_grouping=True),
                "column": get_column_letter(max(1, min(exc.params["columns"], 16384))),
                "max_rows": number_format(limits.max_rows, force_grouping=True),
                "max_columns": number_format(limits.max_columns, force_grouping=True),
            }
        if exc.code == "memory":
            return _(
                "This file needs more memory to read than allowed (%(mb)s MB): it probably has cells far below or "
                "to the right of the data. Delete the empty rows and columns after your data, save it again as "
                ".xlsx and upload it again."
            ) % {"mb": number_format(exc.params["memory_mb"], force_grouping=True)}
        return _("This file cannot be read. Save it as .xlsx or .csv (UTF-8) and try again.")

    # -- running --------------------------------------------------------------------------------
    def run(self, job: ImportJob, dry_run: bool, attempt: int) -> None:
        """Check or import the file chunk by chunk.

        Each chunk's rows, its counts, its rejected rows and the progress counter are written in one
        transaction, so that the counter always equals the rows saved; an import resumed after its worker
        died continues after the last chunk saved (the rows before it are not read again).
        """
        dataset = self.read(job)
        _fenced(job.pk, attempt).update(total_rows=len(dataset), updated_at=timezone.now())
        resource = self.resource(job)
        if self.all_or_nothing:
            self._run_all_or_nothing(job, dataset, dry_run, attempt)
            return
        done = 0 if dry_run else ImportJob.objects.values_list("processed_rows", flat=True).get(pk=job.pk)
        size = self.chunk_rows or settings.CHONGDICH_IMPORT_CHUNK_ROWS
        for start in range(done, len(dataset), size):
            chunk = tablib.Dataset(*dataset[start : start + size], headers=dataset.headers)
            with transaction.atomic():
                part = self.process_chunk(resource, chunk, dry_run)
                _save_progress(job.pk, attempt, part, processed=start + len(chunk))

    def process_chunk(self, resource, chunk: tablib.Dataset, dry_run: bool) -> Outcome:
        """Check (``dry_run``) or save one chunk inside its transaction and count its rows.  An importer
        that writes a whole chunk in bulk (the platform's dose records) overrides it; it then returns
        an ``Outcome`` whose rejected rows are the chunk's rows (``_row`` first)."""
        result = resource.import_data(chunk, dry_run=dry_run, use_transactions=True)
        part = Outcome(headers=list(chunk.headers))
        self._collect(result, chunk, part, saved=not dry_run)
        return part

    def notes(self, job: ImportJob) -> list[tuple[str, str]]:
        """Lines the job's page shows under its figures, as (text, link): e.g. the records an import put on
        a work list.  None by default."""
        return []

    def _run_all_or_nothing(self, job: ImportJob, dataset: tablib.Dataset, dry_run: bool, attempt: int) -> None:
        """Reference data is saved whole or not at all: one transaction, nothing to resume."""
        check = Outcome(headers=list(dataset.headers))
        with transaction.atomic():
            result = self.resource(job).import_data(dataset, dry_run=True, use_transactions=True)
            self._collect(result, dataset, check, saved=False)
        if dry_run or check.failed:
            with transaction.atomic():
                _save_progress(job.pk, attempt, check, processed=len(dataset))
            return
        with transaction.atomic():
            result = self.resource(job).import_data(
                dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
            )
            outcome = Outcome(headers=list(dataset.headers))
            self._collect(result, dataset, outcome, saved=True)
            _save_progress(job.pk, attempt, outcome, processed=len(dataset))

    def _collect(self, result, dataset: tablib.Dataset, outcome: Outcome, saved: bool = False) -> None:
        totals = result.totals
        outcome.new += totals.get(RowResult.IMPORT_TYPE_NEW, 0)
        outcome.update += totals.get(RowResult.IMPORT_TYPE_UPDATE, 0)
        outcome.skip += totals.get(RowResult.IMPORT_TYPE_SKIP, 0)
        outcome.invalid += totals.get(RowResult.IMPORT_TYPE_INVALID, 0)
        outcome.error += totals.get(RowResult.IMPORT_TYPE_ERROR, 0)
        for invalid in result.invalid_rows:
            row = dataset[invalid.number - 1]
            messages = []
            for key, errors in invalid.error_dict.items():
                for message in errors:
                    label = "" if key == "__all__" else self.label_of(key)
                    messages.append(f"{label}: {message}" if label else str(message))
            self._reject(outcome, row, messages)
        for number, errors in result.row_errors():
            row = dataset[number - 1]
            self._reject(outcome, row, [str(e.error) for e in errors])
        for error in result.base_errors:
            outcome.errors.append({"row": None, "message": str(error.error)})
        if saved and result.has_errors():
            # import-export rolled the whole chunk back: none of its rows was saved, whatever its counts say.
            reason = _("Not saved: another row of the same block of %(count)s rows failed; upload this row again.") % {
                "count": len(dataset)
            }
            refused = {row[0] for row, _reason in outcome.rejected}
            for row in dataset:
                if row[0] not in refused:
                    self._reject(outcome, row, [reason])
            outcome.error += outcome.new + outcome.update + outcome.skip
            outcome.new = outcome.update = outcome.skip = 0

    def _reject(self, outcome: Outcome, row, messages: list[str]) -> None:
        row_number = row[0]
        reason = "\n".join(messages)
        if len(outcome.errors) < MAX_STORED_ERRORS:
            outcome.errors.append({"row": row_number, "message": reason})
        outcome.rejected.append((list(row), reason))

    def rejected_file(self, rows) -> bytes:
        """The rejected rows (``(values by column key, reason)``, all from one file) with their reasons."""
        rows = iter(rows)
        first = next(rows, None)
        present = set(first[0]) - {ROW_NUMBER_KEY} if first else set()
        keys = [c.key for c in self.columns if c.key in present]  # the template's order (jsonb keeps none)
        keys += sorted(present - set(keys))
        labels = [_("Row in file"), *[self.label_of(key) for key in keys], _("Reason rejected")]
        lines = (
            [values.get(ROW_NUMBER_KEY), *[values.get(key) for key in keys], reason]
            for values, reason in itertools.chain([first] if first else [], rows)
        )
        return write_xlsx(labels, lines, title=_("Rejected rows"))


class Superseded(Exception):
    """Another run of the job took over (its worker was taken for dead): this one must save nothing more."""


def _fenced(job_id: int, attempt: int):
    """The job, only while ``attempt`` is its current run (an update of it changes nothing otherwise)."""
    return ImportJob.objects.filter(pk=job_id, attempt=attempt)


def _cell(value):
    """A cell value as JSON, the way an officer types it back (dates as 31/12/2021)."""
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}" if (value.hour, value.minute) != (0, 0) else f"{value:%d/%m/%Y}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def _save_progress(job_id: int, attempt: int, part: Outcome, processed: int) -> None:
    """In the chunk's transaction: add its counts, errors and rejected rows to the job, and move the counter."""
    job = ImportJob.objects.select_for_update().only("summary", "errors", "attempt").filter(pk=job_id).first()
    if job is None or job.attempt != attempt:
        raise Superseded
    summary = {key: (job.summary or {}).get(key, 0) + value for key, value in part.as_summary().items()}
    errors = (job.errors or []) + part.errors[: max(0, MAX_STORED_ERRORS - len(job.errors or []))]
    ImportRejectedRow.objects.bulk_create(
        [
            ImportRejectedRow(
                job_id=job_id,
                row=row[0],
                values={k: _cell(v) for k, v in zip(part.headers, row, strict=False)},
                reason=reason,
            )
            for row, reason in part.rejected
        ],
        batch_size=1000,
    )
    _fenced(job_id, attempt).update(summary=summary, errors=errors, processed_rows=processed, updated_at=timezone.now())


REGISTRY: dict[str, Importer] = {}


def register(importer_class: type[Importer]) -> type[Importer]:
    """Class decorator: make one instance of the importer available under its kind."""
    REGISTRY[importer_class.kind] = importer_class()
    return importer_class


def importer_for(kind: str) -> Importer:
    return REGISTRY[kind]


def _claim(job: ImportJob, dry_run: bool, attempt: int) -> bool:
    """Mark the job as running this attempt; False when another run took over or the job has ended."""
    now = timezone.now()
    fresh = {
        "processed_rows": 0,
        "total_rows": 0,
        "summary": {},
        "errors": [],
        "message": "",
        "started_at": now,
        "finished_at": None,
        "updated_at": now,
    }
    with transaction.atomic():
        if dry_run:  # a check writes nothing: it always starts from the first row
            claimed = (
                _fenced(job.pk, attempt)
                .filter(status__in=[ImportStatus.UPLOADED, ImportStatus.CHECKING])
                .update(status=ImportStatus.CHECKING, **fresh)
            )
        else:
            claimed = (
                _fenced(job.pk, attempt)
                .filter(status=ImportStatus.CHECKED)
                .update(status=ImportStatus.IMPORTING, **fresh)
            )
            claimed = claimed or _fenced(job.pk, attempt).filter(status=ImportStatus.IMPORTING).update(
                message="", updated_at=now, started_at=Coalesce("started_at", Value(now))
            )
        if claimed and not ImportJob.objects.filter(pk=job.pk, processed_rows__gt=0).exists():
            ImportRejectedRow.objects.filter(job_id=job.pk).delete()
    return bool(claimed)


def execute(job_id: int, dry_run: bool, language_code: str = "vi", attempt: int | None = None) -> None:
    """Run a job's dry run or import; every failure ends as a message on the job, never half a save.

    ``attempt`` is the run the task was queued for; a task of an older run (its worker was taken for dead and
    the job resumed elsewhere) does nothing.
    """
    job = ImportJob.objects.select_related("created_by", "unit").get(pk=job_id)
    attempt = job.attempt if attempt is None else attempt
    importer = importer_for(job.kind)
    if not _claim(job, dry_run, attempt):
        return
    with language(language_code):
        try:
            importer.run(job, dry_run=dry_run, attempt=attempt)
        except Superseded:
            return
        except ValidationError as exc:
            _finish(job, importer, attempt, ImportStatus.FAILED, message=" ".join(exc.messages))
            return
        except Exception as exc:  # noqa: BLE001 - any crash must end the job visibly, not hang it
            _finish(
                job,
                importer,
                attempt,
                ImportStatus.FAILED,
                message=_("The import stopped because of an error: %(error)s") % {"error": exc},
            )
            raise
        job.refresh_from_db()
        status, message = _verdict(importer, job, dry_run)
        if not _finish(job, importer, attempt, status, message=message):
            return
    if not dry_run:
        audit.record(
            job.created_by,
            audit.AuditAction.IMPORT,
            job,
            unit_path=job.unit_path,
            detail={"kind": job.kind, "file": job.original_name, **job.summary},
            label=job.original_name,
        )


def _verdict(importer: Importer, job: ImportJob, dry_run: bool) -> tuple[str, str]:
    """The end state of a finished check or import, and what to tell the officer."""
    rejected, importable = job.rejected, job.importable
    if importer.all_or_nothing and rejected:
        # Nothing of an all-or-nothing import can be saved while a row is wrong: say so now,
        # rather than leaving the job waiting for a confirmation that cannot come.
        return ImportStatus.FAILED, _(
            "Nothing was saved: %(count)s rows have errors. Correct them and upload the file again."
        ) % {"count": rejected}
    if importable == 0 and rejected and not job.summary.get("skip"):
        if dry_run:
            return ImportStatus.FAILED, _(
                "Nothing can be imported: all %(count)s rows have errors. Correct them and upload the file again."
            ) % {"count": rejected}
        return ImportStatus.FAILED, _("Nothing was imported: all %(count)s rows were rejected.") % {"count": rejected}
    if importable == 0:
        # Nothing new and nothing changed: no confirmation to wait for, and no import to call a success.
        return ImportStatus.DONE, _("Nothing to import: the rows are already in the system, unchanged.")
    return (ImportStatus.CHECKED if dry_run else ImportStatus.DONE), ""


def _finish(job: ImportJob, importer: Importer, attempt: int, status: str, *, message: str = "") -> bool:
    """End the job (if this run is still its current one): status, message and the rejected-rows file."""
    with transaction.atomic():
        current = ImportJob.objects.select_for_update().filter(pk=job.pk, attempt=attempt).first()
        if current is None:
            return False
        rejected = ImportRejectedRow.objects.filter(job_id=job.pk).order_by("row", "pk")
        if rejected.exists():
            rows = ((r.values, r.reason) for r in rejected.iterator(chunk_size=2000))
            current.rejected_file.save(f"rejected-{job.pk}.xlsx", ContentFile(importer.rejected_file(rows)), save=False)
            rejected.delete()
        elif status != ImportStatus.FAILED:
            current.rejected_file = ""
        current.status = status
        current.message = message
        current.finished_at = current.updated_at = timezone.now()
        if status != ImportStatus.FAILED:
            current.processed_rows = current.total_rows
        current.save()
    return True
