"""Small helpers shared by tests."""

from __future__ import annotations

import io

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile


def xlsx_bytes(rows: list[list], title: str | None = None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if title:
        sheet.append([title])
        sheet.append([])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def read_xlsx(content: bytes) -> list[list]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


def run_job(user, kind: str, unit, name: str, content: bytes, confirm: bool = True):
    """Upload, dry-run and (optionally) import a file through the import framework, synchronously."""
    from django.core.files.base import ContentFile
    from django.utils import translation

    from chongdich.core import imports
    from chongdich.core.models import ImportJob

    language = translation.get_language() or "vi"  # the job reports in the language active in the test

    job = ImportJob(kind=kind, created_by=user, unit=unit, unit_path=unit.path, original_name=name)
    job.file.save(name, ContentFile(content), save=False)
    job.save()
    imports.execute(job.pk, dry_run=True, language_code=language)
    job.refresh_from_db()
    if confirm and job.status == "checked":
        imports.execute(job.pk, dry_run=False, language_code=language)
        job.refresh_from_db()
    return job


def add_tally(unit, day, **fields):
    """Add to a unit's daily tally directly (pages that read tallies only): field=delta, ..."""
    from chongdich.tallies.models import DailyTally

    row, _ = DailyTally.objects.get_or_create(
        unit=unit, day=day, defaults={"unit_path": unit.path, "province_code": unit.province_code}
    )
    for name, delta in fields.items():
        setattr(row, name, getattr(row, name) + delta)
    row.save()
    return row


def add_cluster_tallies(*records):
    """Feed the cluster tallies (only them) from clusters and cases saved directly: what the cluster
    and case actions do in their transaction, for tests whose daily tallies are set by hand."""
    from chongdich.tallies.engine import ClusterContribution, apply, total

    apply(
        total(
            contribution
            for record in records
            for contribution in record.tally_contributions()
            if isinstance(contribution, ClusterContribution)
        )
    )


def add_doses(unit, day, count, *, field="doses", **key):
    """Add to a commune's vaccination tally directly: ``count`` doses (or ``field="enrolled"`` people)
    with a key (product, kind, number, completes_primary, age_band, priority_group, high_risk)."""
    from chongdich.tallies.engine import VaccinationContribution, apply, total

    key = {"product": "AZ", "kind": "primary", "number": 1, "age_band": "18_49", **key}
    if field == "enrolled":
        key = {"priority_group": key["priority_group"], "high_risk": key.get("high_risk", False)}
    apply(total([VaccinationContribution(unit.pk, day, field, count, **key)]))
