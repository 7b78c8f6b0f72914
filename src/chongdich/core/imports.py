"""The import framework: upload → dry run (preview, row errors) → confirm → import, with progress.

Each kind of import registers an ``Importer``: the columns it understands (with the aliases
officers use), the django-import-export resource that validates and upserts rows on natural
keys, and whether it is all-or-nothing (reference data: population, adjacency) or keeps good
rows and returns the rejected ones with a reason on each (registries: people).
Both the dry run and the import run as background tasks and update the job row between chunks,
which the page polls to draw its progress bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import tablib
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.utils.translation import override as language
from import_export.results import RowResult
from openpyxl.utils import get_column_letter

from chongdich.core import audit
from chongdich.core.models import ImportJob, ImportStatus
from chongdich.core.spreadsheets import ReadLimits, SpreadsheetError, read_table, write_xlsx

MAX_STORED_ERRORS = 500
CHUNK_ROWS = 1000


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


class Importer:
    kind: str = ""
    label = gettext_lazy("Import")
    capability: str = ""
    columns: Sequence[Column] = ()
    all_or_nothing = False
    chunk_rows = CHUNK_ROWS

    def resource(self, job: ImportJob):
        raise NotImplementedError

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

    def template(self) -> bytes:
        headers = [str(c.label) for c in self.columns]
        return write_xlsx(headers, [[c.example for c in self.columns]], widths=[max(12, len(h) + 4) for h in headers])

    def read(self, job: ImportJob) -> tablib.Dataset:
        job.file.open("rb")
        try:
            content = job.file.read()
        finally:
            job.file.close()
        try:
            return read_table(content, job.original_name, self.aliases(), self.required(), read_limits())
        except SpreadsheetError as exc:
            raise ValidationError(self.refusal(exc)) from exc

    def refusal(self, exc: SpreadsheetError) -> str:
        """What the officer reads when the file cannot be taken as a list."""
        limits = read_limits()
        if exc.code == "header":
            names = ", ".join(f"“{self.label_of(k)}”" for k in self.required())
            return _("No header row with the required columns %(columns)s was found in the first rows. "
                     "Download the template and copy your data into it.") % {"columns": names}  # fmt: skip
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
    def run(self, job: ImportJob, dry_run: bool) -> Outcome:
        dataset = self.read(job)
        ImportJob.objects.filter(pk=job.pk).update(total_rows=len(dataset), processed_rows=0)
        outcome = Outcome(headers=list(dataset.headers))
        resource = self.resource(job)
        if self.all_or_nothing:
            with transaction.atomic():
                result = resource.import_data(dataset, dry_run=True, use_transactions=True)
                self._collect(result, dataset, outcome)
            if not dry_run and outcome.failed == 0:
                with transaction.atomic():
                    resource = self.resource(job)
                    result = resource.import_data(
                        dataset, dry_run=False, use_transactions=True, rollback_on_validation_errors=True
                    )
                    outcome = Outcome(headers=list(dataset.headers))
                    self._collect(result, dataset, outcome)
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=len(dataset))
            return outcome
        for start in range(0, len(dataset), self.chunk_rows):
            chunk = tablib.Dataset(*dataset[start : start + self.chunk_rows], headers=dataset.headers)
            result = resource.import_data(chunk, dry_run=dry_run, use_transactions=True)
            self._collect(result, chunk, outcome)
            ImportJob.objects.filter(pk=job.pk).update(processed_rows=min(len(dataset), start + len(chunk)))
        return outcome

    def _collect(self, result, dataset: tablib.Dataset, outcome: Outcome) -> None:
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

    def _reject(self, outcome: Outcome, row, messages: list[str]) -> None:
        row_number = row[0]
        reason = "\n".join(messages)
        if len(outcome.errors) < MAX_STORED_ERRORS:
            outcome.errors.append({"row": row_number, "message": reason})
        outcome.rejected.append((list(row), reason))

    def rejected_file(self, headers: Sequence[str], outcome: Outcome) -> bytes:
        labels = [_("Row in file"), *[self.label_of(h) for h in headers[1:]], _("Reason rejected")]
        return write_xlsx(labels, [[*row, reason] for row, reason in outcome.rejected], title=_("Rejected rows"))


REGISTRY: dict[str, Importer] = {}


def register(importer_class: type[Importer]) -> type[Importer]:
    """Class decorator: make one instance of the importer available under its kind."""
    REGISTRY[importer_class.kind] = importer_class()
    return importer_class


def importer_for(kind: str) -> Importer:
    return REGISTRY[kind]


def execute(job_id: int, dry_run: bool, language_code: str = "vi") -> None:
    """Run a job's dry run or import; every failure ends as a message on the job, never half a save."""
    job = ImportJob.objects.select_related("created_by", "unit").get(pk=job_id)
    importer = importer_for(job.kind)
    status_running = ImportStatus.CHECKING if dry_run else ImportStatus.IMPORTING
    ImportJob.objects.filter(pk=job.pk).update(status=status_running, started_at=timezone.now(), message="")
    with language(language_code):
        try:
            outcome = importer.run(job, dry_run=dry_run)
        except ValidationError as exc:
            _finish(job, ImportStatus.FAILED, message=" ".join(exc.messages))
            return
        except Exception as exc:  # noqa: BLE001 - any crash must end the job visibly, not hang it
            _finish(job, ImportStatus.FAILED, message=_("The import stopped because of an error: %(error)s") % {"error": exc})
            raise
        rejected = b""
        if outcome.rejected:
            rejected = importer.rejected_file(outcome.headers, outcome)
        status = ImportStatus.CHECKED if dry_run else ImportStatus.DONE
        message = ""
        if importer.all_or_nothing and outcome.failed:
            # Nothing of an all-or-nothing import can be saved while a row is wrong: say so now,
            # rather than leaving the job waiting for a confirmation that cannot come.
            status = ImportStatus.FAILED
            message = _("Nothing was saved: %(count)s rows have errors. Correct them and upload the file again.") % {
                "count": outcome.failed
            }
        _finish(job, status, outcome=outcome, rejected=rejected, message=message)
    if not dry_run:
        audit.record(
            job.created_by, audit.AuditAction.IMPORT, job, unit_path=job.unit_path,
            detail={"kind": job.kind, "file": job.original_name, **outcome.as_summary()}, label=job.original_name,
        )  # fmt: skip


def _finish(job: ImportJob, status: str, *, outcome: Outcome | None = None, message: str = "", rejected=b""):
    job.refresh_from_db()
    job.status = status
    job.message = message
    job.finished_at = timezone.now()
    if outcome is not None:
        job.summary = outcome.as_summary()
        job.errors = outcome.errors
        job.processed_rows = job.total_rows
    if rejected:
        job.rejected_file.save(f"rejected-{job.pk}.xlsx", ContentFile(rejected), save=False)
    job.save()
