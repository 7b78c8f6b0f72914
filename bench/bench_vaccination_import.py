"""National vaccination platform import benchmark (issue 10 §7), on PostgreSQL:

importing dose records exported by the national platform — a CSV of 1,000,000 rows (and an xlsx of a
smaller size, reported separately) — for a registry of people matched by CCCD (most rows), by folded
name + date of birth + phone (rows without a CCCD), or nobody (the work list): rows/s, and the ratio to a
raw COPY of the same dose rows, already parsed, into a table like ``vaccination_dose`` in the same process.
The import reads the file, matches, numbers the doses, writes them with their history, and puts what it
cannot apply on the reconciliation work list; a re-import of the same file changes nothing.

The script creates what it needs (units, people by COPY, the files) and can be run again.

Run: ./run bench   (every benchmark on a throw-away PostgreSQL), or alone:
     cd bench && DATABASE_URL="postgres://postgres@/benchdb?host=/tmp/pg" ../.venv/bin/python bench_vaccination_import.py
     ... bench_vaccination_import.py --rows 100000 --xlsx-rows 20000      (smaller)
"""

from __future__ import annotations

import argparse
import io
import random
import time
from datetime import date, timedelta

from common import PERSON_COPY_COLUMNS, require_postgres, say, setup_django, timed

PRODUCTS = ["AstraZeneca", "Pfizer-BioNTech", "Moderna", "Vero Cell", "Sputnik V", "Abdala", "Janssen", "Hayat-Vax"]
PRIMARY = {"AstraZeneca": 2, "Pfizer-BioNTech": 2, "Moderna": 2, "Vero Cell": 2, "Sputnik V": 2, "Abdala": 3,
           "Janssen": 1, "Hayat-Vax": 2}  # fmt: skip
HEADER = ["STT", "CCCD", "Họ và tên", "Ngày sinh", "SĐT", "Vắc xin", "Số lô", "Ngày tiêm", "Mũi số", "Điểm tiêm"]
TODAY = date(2021, 12, 15)
# Copied by the baseline: the columns the import fills.
DOSE_COLUMNS = (
    "unit_id", "unit_path", "province_code", "commune_code", "person_id", "product", "lot_number", "given_on",
    "site_name", "source", "external_id", "kind", "number", "completes_primary", "age_band", "priority_group",
    "high_risk", "problems", "override_reason", "observation_done", "void_reason", "created_at",
)  # fmt: skip


def reset() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE vaccination_platformrecord_candidates, vaccination_historicalplatformrecord, "
            "vaccination_platformrecord, vaccination_historicaldose, vaccination_dose, core_importjob, "
            "tallies_vaccinationtally RESTART IDENTITY CASCADE"
        )


def people_copy(district, n: int) -> list[tuple]:
    """``n`` people with CCCD, phone and date of birth in the district's communes (COPY); their identities."""
    from django.db import connection
    from django.utils import timezone

    from chongdich.core.text import fold
    from chongdich.people.identity import sex_century_digit
    from chongdich.territory.models import AdminUnit

    communes = list(AdminUnit.objects.filter(parent=district, level="commune").order_by("code"))
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM people_person WHERE address = 'bench-vaccination'")
    rng = random.Random(3)
    family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Điểu"]
    middle = ["Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh", "Thanh", "Quang"]
    given = ["An", "Bình", "Cường", "Dung", "Hà", "Hùng", "Lan", "Mai", "Nam", "Phúc", "Quý", "Sơn", "Tâm", "Yến"]
    now = timezone.now()
    identities = []
    buffer = io.StringIO()
    for index in range(n):
        sex = "M" if index % 2 else "F"
        born = date(1940, 1, 1) + timedelta(days=rng.randrange(0, 365 * 63))
        name = f"{rng.choice(family)} {rng.choice(middle)} {rng.choice(given)} {index:07d}"[:120]
        cccd = f"070{sex_century_digit(sex, born.year)}{born.year % 100:02d}{index:06d}"
        phone = f"+849{index:08d}"
        commune = communes[index % len(communes)]
        fields = [commune.pk, commune.path, commune.province_code, commune.commune_code or "", name, fold(name), sex,
                  born.isoformat(), born.year, cccd, phone, "", "bench-vaccination", "permanent", "", "", now, now]  # fmt: skip
        buffer.write("\t".join(str(v) for v in fields) + "\n")
        identities.append((cccd, name, born, phone))
    buffer.seek(0)
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY people_person ({', '.join(PERSON_COPY_COLUMNS)}) FROM STDIN") as copy,
    ):
        while data := buffer.read(1 << 20):
            copy.write(data)
    return identities


def platform_rows(identities, n: int) -> list[list]:
    """The platform's export: each person's doses in turn (2–3 by product), ~4 % without a CCCD (matched by name,
    date of birth and phone), ~2 % of people the registry does not have, ~0.5 % unusable."""
    rng = random.Random(5)
    rows: list[list] = []
    person = 0
    while len(rows) < n:
        if person < len(identities):
            cccd, name, born, phone = identities[person]
        else:  # past the registry: people it does not have
            cccd, name, born, phone = (
                f"0700{person % 100:02d}{person:06d}"[:12],
                f"Người Lạ {person}",
                date(1980, 1, 1),
                "",
            )
        person += 1
        draw = rng.random()
        if draw < 0.02:
            cccd, name, phone = "", f"Không Có Tên {person}", f"09{person:08d}"  # matches nobody
        elif draw < 0.06:
            cccd = ""  # matched by folded name + date of birth + phone
        product = rng.choice(PRODUCTS)
        doses = PRIMARY[product] + (1 if rng.random() < 0.3 else 0)
        day = date(2021, 7, 1) + timedelta(days=rng.randrange(0, 60))
        for number in range(1, doses + 1):
            written = product if number <= PRIMARY[product] else "Pfizer"
            bad = rng.random() < 0.005
            rows.append([
                len(rows) + 1, cccd, name, f"{born:%d/%m/%Y}", ("0" + phone[3:]) if phone.startswith("+84") else phone,
                "CoronaVac" if bad else written, f"LOT{rng.randrange(1000, 9999)}", f"{day:%d/%m/%Y}", number,
                f"Trạm Y tế xã {rng.randrange(1, 20)}",
            ])  # fmt: skip
            day += timedelta(days=28 if number < PRIMARY[product] else 120)
            if len(rows) >= n:
                break
    return rows


def csv_of(rows) -> bytes:
    lines = [",".join(HEADER)] + [",".join(str(v) for v in row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def xlsx_of(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách tiêm")
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def copy_baseline(rows, person_ids: dict[str, tuple]) -> float:
    """The same rows, parsed, COPied into a table like vaccination_dose (its indexes and constraints): the floor."""
    from django.db import connection, transaction
    from django.utils import timezone

    from chongdich.vaccination.platform import product_code, read_date, record_key

    now = timezone.now().isoformat()
    lines = []
    people = list(person_ids.values())
    for index, row in enumerate(rows):
        # each row its own (person, number): the table keeps vaccination_dose's unique indexes
        pid, unit_id, path = people[index % len(people)]
        number = index // len(people) + 1
        day = read_date(row[7])
        code = product_code(row[5]) or "XX"
        lines.append("\t".join(str(v) for v in (
            unit_id, path, "70", "", pid, code, row[6], day.isoformat(), row[9], "platform",
            record_key(row[1] or row[2], code, day, row[8]), "primary", number, "f", "18_49", "", "f", "[]", "", "f", "", now,
        )))  # fmt: skip
    text = "\n".join(lines) + "\n"
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_dose_copy")
        cursor.execute("CREATE TABLE bench_dose_copy (LIKE vaccination_dose INCLUDING ALL)")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        with cursor.copy(f"COPY bench_dose_copy ({', '.join(DOSE_COLUMNS)}) FROM STDIN") as copy:
            for offset in range(0, len(text), 1 << 20):
                copy.write(text[offset : offset + (1 << 20)])
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE bench_dose_copy")
    return elapsed


def run_import(actor, unit, name: str, content: bytes, check_first: bool):
    from django.core.files.base import ContentFile

    from chongdich.core import imports
    from chongdich.core.models import ImportJob

    job = ImportJob(kind="vaccination.platform", created_by=actor, unit=unit, unit_path=unit.path, original_name=name)
    job.file.save(name, ContentFile(content), save=False)
    job.save()
    timings: dict = {}
    if check_first:
        with timed("check", timings):
            imports.execute(job.pk, dry_run=True)
    else:  # the check is timed once; a re-import goes straight to the import
        ImportJob.objects.filter(pk=job.pk).update(status="checked")
    with timed("import", timings):
        imports.execute(job.pk, dry_run=False)
    job.refresh_from_db()
    return job, timings


def measure(label: str, rows, content: bytes, actor, unit, person_ids, reimport: bool) -> None:
    from chongdich.vaccination.models import Dose, PlatformRecord

    n = len(rows)
    reset()
    baseline = copy_baseline(rows, person_ids)
    job, timings = run_import(actor, unit, f"nen-tang.{label}", content, check_first=True)
    assert job.status == "done", (job.status, job.message, job.errors[:3])
    summary = job.summary
    rate = n / timings["import"]
    say(f"  {label}: {n:,} rows, {len(content) / 1e6:.1f} MB")
    say(f"    raw COPY of the same dose rows (baseline):       {baseline:7.1f} s  ({n / baseline:,.0f} rows/s)")
    say(
        f"    check (read, match, number; nothing saved):      {timings['check']:7.1f} s  ({n / timings['check']:,.0f} rows/s)"
    )
    say(
        f"    import (read, match, number, doses + history, work list): {timings['import']:7.1f} s  ({rate:,.0f} rows/s)"
        f"  ratio to COPY {timings['import'] / baseline:.1f}×"
    )
    say(f"    summary {summary}; doses {Dose.objects.count():,}, work list {PlatformRecord.objects.count():,}")
    if reimport:
        before = (Dose.objects.count(), Dose.history.count(), PlatformRecord.objects.count())
        again, again_timings = run_import(actor, unit, f"nen-tang-2.{label}", content, check_first=False)
        after = (Dose.objects.count(), Dose.history.count(), PlatformRecord.objects.count())
        say(
            f"    re-import of the same file: {again_timings['import']:7.1f} s ({n / again_timings['import']:,.0f} rows/s); "
            f"summary {again.summary}; doses, history, work list unchanged: {before == after}"
        )
        assert before == after and again.summary["new"] == 0, (before, after, again.summary)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the CSV")
    parser.add_argument("--xlsx-rows", type=int, default=100_000, help="rows of the xlsx")
    args, _unknown = parser.parse_known_args()  # ./run bench passes its arguments to every script
    import os

    os.environ["CHONGDICH_TODAY"] = TODAY.isoformat()
    if max(args.rows, args.xlsx_rows) > 1_200_000:  # above the platform import's own limit
        os.environ["CHONGDICH_PLATFORM_IMPORT_MAX_ROWS"] = str(max(args.rows, args.xlsx_rows) + 10)
    setup_django()
    require_postgres()
    from django.core.management import call_command

    from chongdich.accounts.models import Grant, User
    from chongdich.people.models import Person
    from chongdich.territory.loaders import load_units
    from chongdich.territory.models import AdminUnit

    call_command("migrate", verbosity=0)
    if not AdminUnit.objects.filter(code="691").exists():
        load_units("legacy")
    province, district = AdminUnit.objects.get(code="70"), AdminUnit.objects.get(code="691")
    actor, _ = User.objects.get_or_create(username="bench.vaccination")
    Grant.objects.get_or_create(user=actor, role="province_committee", unit=province)
    actor = User.objects.get(pk=actor.pk)
    reset()
    n_people = int(args.rows / 2.3) + 1000
    setup: dict = {}
    with timed("people", setup):
        identities = people_copy(district, n_people)
    person_ids = {
        cccd: (pk, unit_id, path)
        for cccd, pk, unit_id, path in Person.objects.filter(address="bench-vaccination").values_list(
            "cccd", "pk", "unit_id", "unit_path"
        )
    }
    with timed("files", setup):
        rows = platform_rows(identities, args.rows)
        content = csv_of(rows)
        small = rows[: args.xlsx_rows]
        workbook = xlsx_of(small)
    say(
        f"national platform import: {n_people:,} people (COPY, {setup['people']:.1f} s), files built in {setup['files']:.1f} s"
    )
    measure("csv", rows, content, actor, province, person_ids, reimport=True)
    measure("xlsx", small, workbook, actor, province, person_ids, reimport=False)


if __name__ == "__main__":
    main()
