"""Import of lab result files (Excel/CSV as labs write them), idempotent on the lab's own result id.

Each row names a sample code and a result.  A row is kept as a ``LabResult`` (unique on lab code +
lab result id, so the same file imported twice adds nothing) and applied to its sample: status,
Ct and result date, with tallies and history; a positive pool opens its members' re-tests.  Rows
that cannot be true come back with a reason each: an unknown sample code (or one outside the
import's area — the same message, so that scope does not leak), a result before the sample was
taken, a Ct outside 0–45, a different result for a sample that already has one.

Every chunk of 1,000 rows is prepared in a handful of queries (samples, earlier lab results), never
one query per row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.instance_loaders import BaseInstanceLoader

from chongdich.core.imports import Column, Importer, ImportResource, register, rows_of
from chongdich.core.roles import Cap
from chongdich.testing.actions import ResultChange, apply_lab_results
from chongdich.testing.models import Lab, LabResult, Sample, SampleStatus
from chongdich.testing.results import (
    FINAL,
    check_result,
    normalize_code,
    parse_ct,
    parse_date,
    parse_status,
)

# Service error keys → the columns of the file they concern.
_FIELD_TO_COLUMN = {"status": "result", "ct_value": "ct_value", "result_on": "result_on"}


@dataclass
class ParsedResult:
    row: int
    sample_code: str
    lab_code: str  # as written in the file ("" when the file has no lab column)
    lab_result_id: str  # "" when the file has none: the sample code stands in for it
    status: str
    ct: Decimal | None
    result_on: date


def parse_result_row(row: dict) -> tuple[ParsedResult | None, dict[str, str]]:
    errors: dict[str, str] = {}
    code = normalize_code(row.get("sample_code"))
    if not code:
        errors["sample_code"] = _("The sample code is missing.")
    raw_status = row.get("result")
    status = parse_status(raw_status)
    if status is None:
        errors["result"] = (
            _("“%(value)s” is not a result; write “Âm tính”, “Dương tính” or “Không xác định”.") % {"value": raw_status}
            if raw_status not in (None, "")
            else _("The result is missing.")
        )
    ct = None
    try:
        ct = parse_ct(row.get("ct_value"))
    except ValidationError as exc:
        errors["ct_value"] = exc.messages[0]
    result_on = None
    try:
        result_on = parse_date(row.get("result_on"))
        if result_on is None:
            errors["result_on"] = _("The result date is missing.")
    except ValidationError as exc:
        errors["result_on"] = exc.messages[0]
    if errors:
        return None, errors
    lab_result_id = str(row.get("lab_result_id") or "").strip()
    if isinstance(row.get("lab_result_id"), float) and row["lab_result_id"].is_integer():
        lab_result_id = str(int(row["lab_result_id"]))
    return (
        ParsedResult(row["_row"], code, normalize_code(row.get("lab_code")), lab_result_id[:60], status, ct, result_on),
        {},
    )


class LabResultLoader(BaseInstanceLoader):
    """Prepares a whole chunk on creation (see ``LabResultResource.prepare``)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        resource.prepare(dataset)


class LabResultResource(ImportResource):
    capability = Cap.TESTS_EDIT

    class Meta(ImportResource.Meta):
        model = LabResult
        use_bulk = True
        instance_loader_class = LabResultLoader

    def __init__(self, job):
        super().__init__(job)
        self.labs: dict[str, int] = {normalize_code(code): pk for code, pk in Lab.objects.values_list("code", "pk")}
        self.lab_codes: dict[int, str] = {pk: code for code, pk in self.labs.items()}
        self.prepared: dict[int, tuple] = {}
        self.applied: dict[str, str] = {}  # sample code → status given by an earlier row of this file
        self.changes: list[ResultChange] = []

    # -- one chunk ------------------------------------------------------------------------------
    def prepare(self, dataset) -> None:
        parsed_rows: list[tuple[int, ParsedResult | None, dict]] = []
        for row in rows_of(dataset):
            parsed, errors = parse_result_row(row)
            parsed_rows.append((row["_row"], parsed, errors))
        ready = [p for _n, p, _e in parsed_rows if p is not None]
        samples = self._samples({p.sample_code for p in ready})
        existing = self._existing_results(ready, samples)
        self.prepared = {}
        for number, parsed, errors in parsed_rows:
            sample = samples.get(parsed.sample_code) if parsed else None
            key = self.key_of(parsed, sample) if parsed else None
            self.prepared[number] = (parsed, errors, sample, key, existing.get(key) if key else None)

    def _samples(self, codes: set[str]) -> dict[str, Sample]:
        """The chunk's samples inside the import's area and the actor's scope (locked while importing)."""
        if not codes:
            return {}
        samples = Sample.objects.for_user(self.actor, Cap.TESTS_EDIT).within(self.target).filter(code__in=codes)
        if not self.dry_run:
            samples = samples.select_for_update()
        return {s.code: s for s in samples}

    def key_of(self, parsed: ParsedResult, sample: Sample | None) -> tuple[str, str] | None:
        lab_code = parsed.lab_code or (self.lab_codes.get(sample.lab_id, "") if sample is not None else "")
        if not lab_code:
            return None
        return lab_code, parsed.lab_result_id or parsed.sample_code

    def _existing_results(
        self, ready: list[ParsedResult], samples: dict[str, Sample]
    ) -> dict[tuple[str, str], LabResult]:
        by_lab: dict[str, set[str]] = {}
        for parsed in ready:
            key = self.key_of(parsed, samples.get(parsed.sample_code))
            if key:
                by_lab.setdefault(key[0], set()).add(key[1])
        existing = {}
        for lab_code, ids in by_lab.items():  # one query per lab in the chunk: (lab_code, id) is the unique index
            for result in LabResult.objects.filter(lab_code=lab_code, lab_result_id__in=ids):
                existing[(result.lab_code, result.lab_result_id)] = result
        return existing

    # -- per row --------------------------------------------------------------------------------
    def before_import_row(self, row, **kwargs):
        parsed, errors, sample, key, existing = self.prepared.pop(row["_row"])
        if errors:
            raise ValidationError(errors)
        if sample is None:
            raise ValidationError(
                {
                    "sample_code": _(
                        "No sample with code “%(code)s” was found in %(unit)s. Check the code, or register the sample first."
                    )
                    % {"code": parsed.sample_code, "unit": self.target}
                }
            )
        if parsed.lab_code and parsed.lab_code not in self.labs:
            raise ValidationError(
                {
                    "lab_code": _(
                        "There is no laboratory with code “%(code)s”. Register the laboratory first, or correct the code."
                    )
                    % {"code": parsed.lab_code}
                }
            )
        if key is None:
            raise ValidationError(
                {
                    "lab_code": _(
                        "Sample %(code)s was registered without a laboratory: add the laboratory code column to the file."
                    )
                    % {"code": sample.code}
                }
            )
        self.check_first(key, parsed.row, "lab_result_id", _("Same lab result as row %(row)s of this file."))
        row["_parsed"], row["_sample"], row["_key"], row["_existing"] = parsed, sample, key, existing
        if existing is not None:
            if (existing.sample_code, existing.result, existing.ct_value, existing.result_on) != (
                sample.code,
                parsed.status,
                parsed.ct,
                parsed.result_on,
            ):
                raise ValidationError(
                    {
                        "result": _(
                            "The lab result %(id)s was already imported with another content (%(result)s, sample %(code)s). Enter a correction on the sample's page."
                        )
                        % {
                            "id": existing.lab_result_id,
                            "result": existing.get_result_display(),
                            "code": existing.sample_code,
                        }
                    }
                )
            return  # already imported: skipped below, nothing changes
        try:
            check_result(
                kind=sample.kind,
                status=parsed.status,
                ct=parsed.ct,
                result_on=parsed.result_on,
                taken_on=sample.taken_on,
                today=self.today,
            )
        except ValidationError as exc:
            raise ValidationError({_FIELD_TO_COLUMN.get(k, k): v for k, v in exc.message_dict.items()}) from None
        status = self.status_of(sample)
        if status in FINAL and status != parsed.status:
            raise ValidationError(
                {
                    "result": _(
                        "Sample %(code)s already has the result “%(result)s”. A different result is entered as a correction on the sample's page."
                    )
                    % {"code": sample.code, "result": SampleStatus(status).label}
                }
            )

    def status_of(self, sample: Sample) -> str:
        """The sample's status including the results of earlier rows of this file (also in a dry run)."""
        return self.applied.get(sample.code, sample.status)

    def get_instance(self, instance_loader, row):
        return row.get("_existing")

    def import_instance(self, instance, row, **kwargs):
        if instance.pk:
            return
        parsed: ParsedResult = row["_parsed"]
        sample: Sample = row["_sample"]
        lab_code, lab_result_id = row["_key"]
        instance.lab_code, instance.lab_result_id, instance.sample_code = lab_code, lab_result_id, sample.code
        instance.result, instance.ct_value, instance.result_on = parsed.status, parsed.ct, parsed.result_on
        instance.import_job_id = self.job.pk
        if self.status_of(sample) not in FINAL:  # a sample that already has this result keeps it
            self.changes.append(
                ResultChange(sample, parsed.status, parsed.ct, parsed.result_on, self.labs.get(lab_code))
            )
            self.applied[sample.code] = parsed.status

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return bool(instance.pk) and not import_validation_errors

    # -- writing a batch ------------------------------------------------------------------------
    def bulk_create(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        try:
            if not dry_run:
                LabResult.objects.bulk_create(self.create_instances, batch_size=batch_size)
                apply_lab_results(self.actor, self.changes)
        except Exception as exc:  # noqa: BLE001 - reported on the job; the chunk is rolled back
            self.handle_import_error(result, exc, raise_errors)
        finally:
            self.create_instances.clear()
            self.changes.clear()

    def bulk_update(self, using_transactions, dry_run, raise_errors, batch_size=None, result=None):
        self.update_instances.clear()  # lab results are append-only: never updated


@register
class LabResultImporter(Importer):
    kind = "testing.lab_results"
    label = gettext_lazy("Lab results")
    capability = Cap.TESTS_EDIT
    resource_class = LabResultResource
    columns = (
        Column("stt", gettext_lazy("No."), ("stt", "tt", "so tt"), example=1),
        Column(
            "sample_code",
            gettext_lazy("Sample code"),
            (
                "ma mau",
                "ma so mau",
                "ma mau xet nghiem",
                "ma xet nghiem",
                "ma ong mau",
                "sample id",
                "sample code",
                "lab sample id",
            ),
            required=True,
            example="25228-210805-0001",
        ),
        Column(
            "lab_result_id",
            gettext_lazy("Lab result id"),
            (
                "ma ket qua",
                "so phieu",
                "so phieu ket qua",
                "id ket qua",
                "result id",
                "lab result id",
                "row id",
                "ma dong",
            ),
            example="KQ-000123",
        ),
        Column(
            "result",
            gettext_lazy("Result"),
            ("ket qua", "ket qua xet nghiem", "kq", "kqxn", "result"),
            required=True,
            example="Âm tính",
        ),
        Column("ct_value", gettext_lazy("Ct"), ("ct", "gia tri ct", "chi so ct", "ct value"), example=""),
        Column(
            "result_on",
            gettext_lazy("Result date"),
            ("ngay tra ket qua", "ngay ket qua", "ngay co ket qua", "ngay tra kq", "ngay xet nghiem", "result date"),
            required=True,
            example="06/08/2021",
        ),
        Column(
            "lab_code",
            gettext_lazy("Laboratory code"),
            (
                "ma phong xet nghiem",
                "ma pxn",
                "phong xet nghiem",
                "don vi xet nghiem",
                "ma don vi xet nghiem",
                "lab",
                "lab code",
            ),
            example="CDC-BP",
        ),
    )
