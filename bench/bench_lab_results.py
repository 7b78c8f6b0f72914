"""Lab results benchmark (issue 3), on PostgreSQL:

importing 100,000 lab results from a lab's xlsx for existing pending samples: rows/s, and the ratio
to a raw bulk insert of the same LabResult rows measured in the same run; the import also updates
each sample (status, Ct, result date) with history and tallies, and opens the re-tests of positive
pools; a re-import of the same file adds nothing and changes nothing.

The script creates what it needs (units, people, pending samples, the file) and can be run again.

Run: cd bench && DATABASE_URL="postgres://postgres@/benchdb2?host=/tmp/chongdich-pg-dev" ../.venv/bin/python bench_lab_results.py
     ... bench_lab_results.py --rows 20000      (smaller)
"""

from __future__ import annotations

import argparse
import io
import random
import time
from datetime import timedelta
from decimal import Decimal

from common import require_postgres, say, setup_django, tally_disagreements, timed

LAB_CODE = "CDC-BP"
POOL_SHARE = 0.01  # one sample in a hundred is a pool of 5, so positive pools open re-tests too


def reset() -> None:
    """Empty the testing tables and the tallies (this database is the benchmark's own)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE testing_labresult, testing_poolmember, testing_historicalsample, testing_sample, "
            "tallies_dailytally RESTART IDENTITY CASCADE"
        )


def ensure_people(district, n: int) -> list:
    """At least ``n`` people living in the district's communes (created with bulk_create if missing)."""
    from chongdich.core.text import fold
    from chongdich.demo.population import Generator
    from chongdich.people.models import Person
    from chongdich.territory.models import AdminUnit

    people = Person.objects.filter(unit_path__startswith=district.path)
    missing = n - people.count()
    if missing > 0:
        communes = list(AdminUnit.objects.filter(parent=district, level="commune").order_by("code"))
        generator = Generator(7, timezone_today())
        rng = random.Random(7)
        batch = []
        while len(batch) < missing:
            for household in generator.households(min(20_000, missing - len(batch)), ethnic_share=0.1):
                commune = rng.choice(communes)
                for member in household.members:
                    person = Person(
                        full_name=member.full_name,
                        folded_name=fold(member.full_name),
                        sex=member.sex,
                        date_of_birth=member.date_of_birth,
                        birth_year=member.date_of_birth.year,
                        cccd=None,
                        phone="",
                    )
                    person.place_in(commune)
                    batch.append(person)
        Person.objects.bulk_create(batch[:missing], batch_size=5000)
        say(f"    people: {missing:,} created")
    return list(people.select_related("unit").order_by("pk")[:n])


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()


def create_samples(people, lab, actor, n: int) -> list:
    """``n`` pending samples (1 % of them pools of 5), inserted with bulk_create, tallies applied once."""
    from chongdich.tallies import engine
    from chongdich.testing.models import PoolMember, Sample

    today = timezone_today()
    rng = random.Random(11)
    samples, pools = [], []
    for index in range(n):
        person = people[index % len(people)]
        pooled = rng.random() < POOL_SHARE
        sample = Sample(
            code=f"BP-{index + 1:07d}",
            kind="pooled_rt_pcr" if pooled else "rt_pcr",
            person=None if pooled else person,
            reason="screening" if pooled else rng.choice(["f1", "f2", "lockdown", "fever_cough", "screening"]),
            taken_on=today - timedelta(days=rng.randrange(1, 4)),
            lab=lab,
            created_by=actor,
            pool_limit=10 if pooled else None,
        )
        sample.place_in(person.unit)
        samples.append(sample)
        if pooled:
            pools.append((sample, [people[(index + k) % len(people)] for k in range(5)]))
    Sample.objects.bulk_create(samples, batch_size=5000)
    PoolMember.objects.bulk_create(
        [PoolMember(pool=pool, person=m) for pool, members in pools for m in members], batch_size=5000
    )
    engine.apply(engine.contributions_of(samples))
    return samples


def result_rows(samples) -> list[list]:
    """What a lab sends back: 95 % negative, 4 % positive with a Ct, 1 % invalid."""
    rng = random.Random(13)
    today = timezone_today()
    rows = []
    for number, sample in enumerate(samples, start=1):
        draw = rng.random()
        result, ct = (
            ("Âm tính", "")
            if draw < 0.95
            else ("Dương tính", round(rng.uniform(14, 36), 1))
            if draw < 0.99
            else ("Không xác định", "")
        )
        rows.append(
            [
                number,
                sample.code,
                f"Bệnh nhân {number}",
                f"KQ-{today:%y%m%d}-{number:07d}",
                result,
                ct,
                today.strftime("%d/%m/%Y"),
                LAB_CODE,
            ]
        )
    return rows


def xlsx_of(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Kết quả")
    sheet.append(["KẾT QUẢ XÉT NGHIỆM SARS-CoV-2 — CDC BÌNH PHƯỚC"])
    sheet.append([])
    sheet.append(["STT", "Mã mẫu", "Họ tên", "Mã kết quả", "Kết quả", "Ct", "Ngày trả kết quả", "Mã PXN"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def raw_insert_baseline(rows) -> float:
    """The same LabResult rows inserted with bulk_create, already parsed: the floor an import can approach."""
    from django.db import connection

    from chongdich.testing.models import LabResult
    from chongdich.testing.results import parse_status

    today = timezone_today()
    results = [
        LabResult(
            lab_code=LAB_CODE,
            lab_result_id=row[3],
            sample_code=row[1],
            result=parse_status(row[4]),
            ct_value=Decimal(str(row[5])) if row[5] != "" else None,
            result_on=today,
        )
        for row in rows
    ]
    start = time.perf_counter()
    LabResult.objects.bulk_create(results, batch_size=1000)
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE testing_labresult RESTART IDENTITY")
    return elapsed


def run_import(actor, unit, content: bytes, dry_run_first: bool):
    from django.core.files.base import ContentFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from chongdich.core import imports
    from chongdich.core.models import ImportJob

    job = ImportJob(
        kind="testing.lab_results", created_by=actor, unit=unit, unit_path=unit.path, original_name="kq.xlsx"
    )
    job.file.save("kq.xlsx", ContentFile(content), save=False)
    job.save()
    timings = {}
    if dry_run_first:
        with timed("check", timings):
            imports.execute(job.pk, dry_run=True)
    with CaptureQueriesContext(connection) as queries, timed("import", timings):
        imports.execute(job.pk, dry_run=False)
    job.refresh_from_db()
    return job, timings, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--no-check", action="store_true", help="skip comparing tallies with a full rebuild")
    args = parser.parse_args()
    setup_django()
    require_postgres()
    from django.core.management import call_command

    from chongdich.accounts.models import Grant, User
    from chongdich.territory.loaders import load_units
    from chongdich.territory.models import AdminUnit
    from chongdich.testing.models import Lab, LabResult, Sample

    call_command("migrate", verbosity=0)
    if not AdminUnit.objects.filter(code="691").exists():
        load_units("legacy")
    province, district = AdminUnit.objects.get(code="70"), AdminUnit.objects.get(code="691")
    actor, _ = User.objects.get_or_create(username="bench.lab")
    Grant.objects.get_or_create(user=actor, role="lab_staff", unit=province)
    actor = User.objects.get(pk=actor.pk)
    reset()
    lab = Lab.objects.filter(code=LAB_CODE).first()
    if lab is None:
        lab = Lab(name="CDC Bình Phước", code=LAB_CODE, daily_capacity=20_000, antigen_capacity=50_000)
        lab.place_in(province)
        lab.save()
    n = args.rows
    say(f"lab results import: {n:,} pending samples of people in {district.name}")
    people = ensure_people(district, min(n, 50_000))
    setup = {}
    with timed("samples", setup):
        samples = create_samples(people, lab, actor, n)
    rows = result_rows(samples)
    content = xlsx_of(rows)
    say(f"    setup: {n:,} samples in {setup['samples']:.1f} s; xlsx {len(content) / 1e6:.1f} MB")
    baseline = raw_insert_baseline(rows)
    job, timings, queries = run_import(actor, province, content, dry_run_first=True)
    assert job.status == "done", (job.status, job.message, job.errors[:3])
    assert job.summary["new"] == n, job.summary
    rows_per_s = n / timings["import"]
    changed = Sample.objects.exclude(status="pending").count()
    retests = Sample.objects.filter(pool__isnull=False).count()
    say(f"    raw bulk insert of the same LabResult rows (baseline): {baseline:6.1f} s  ({n / baseline:,.0f} rows/s)")
    say(f"    dry run (read, validate, preview):                    {timings['check']:6.1f} s")
    say(
        f"    import (read xlsx, validate, store, update samples, history, tallies): {timings['import']:6.1f} s"
        f"  ({rows_per_s:,.0f} rows/s)  ratio to baseline {timings['import'] / baseline:.1f}×"
    )
    say(
        f"    {queries:,} queries ({queries / (n / 1000):.0f} per 1,000-row chunk); summary {job.summary}; "
        f"{changed:,} samples got their result; {retests:,} re-tests opened for positive pools"
    )
    if not args.no_check:
        with timed("check", setup):
            agreement = tally_disagreements(("samples_", "tests_"))
        say(f"    tallies equal a rebuild from the records: {agreement}  ({setup['check']:.1f} s)")
    before = (LabResult.objects.count(), Sample.objects.count(), Sample.history.count())
    again, again_timings, _queries = run_import(actor, province, content, dry_run_first=False)
    after = (LabResult.objects.count(), Sample.objects.count(), Sample.history.count())
    say(
        f"    re-import of the same file: {again_timings['import']:6.1f} s  summary {again.summary}; "
        f"lab results, samples, history rows unchanged: {before == after}"
    )
    assert again.summary["new"] == 0 and before == after, (again.summary, before, after)


if __name__ == "__main__":
    main()
