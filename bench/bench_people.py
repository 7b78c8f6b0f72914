"""People benchmarks (issue 2), on PostgreSQL:

(a) importing 100,000 persons from an officer-style xlsx: rows/s, and the ratio to a raw bulk insert
    of the same rows measured in the same run; the re-import adds nobody;
(b) person search p50/p95 at 1,000,000 persons (target p95 < 100 ms), with a primary-key lookup
    in the same process as the baseline.

Run: ./run bench            (starts a throw-away PostgreSQL)
     .venv/bin/python bench/bench_people.py --import-rows 20000 --search-people 200000   (smaller)
"""

from __future__ import annotations

import argparse
import io
import random
import time
from datetime import date

from common import PERSON_COPY_COLUMNS, percentile, require_postgres, say, setup_django, summary_ms, timed

SEARCH_PROVINCES = ("70", "74", "75", "72")  # Bình Phước, Bình Dương, Đồng Nai, Tây Ninh


def build_rows(n: int, seed: int):
    from chongdich.demo.district import COMMUNES
    from chongdich.demo.population import Generator
    from chongdich.territory.models import AdminUnit

    generator = Generator(seed, date(2021, 4, 1))
    communes = list(AdminUnit.objects.filter(code__in=list(COMMUNES)).order_by("code"))
    rows = []
    for index, household in enumerate(generator.households(n, ethnic_share=0.1), start=1):
        commune = communes[index % len(communes)]
        village = COMMUNES[commune.code][3][index % len(COMMUNES[commune.code][3])]
        for member in household.members:
            rows.append(
                [
                    len(rows) + 1,
                    member.full_name,
                    "Nam" if member.sex == "M" else "Nữ",
                    member.date_of_birth.strftime("%d/%m/%Y"),
                    member.cccd or "",
                    member.phone,
                    village,
                    commune.short_name,
                    f"H{index:06d}",
                    {
                        "head": "Chủ hộ",
                        "spouse": "Vợ" if member.sex == "F" else "Chồng",
                        "child": "Con",
                        "parent": "Bố" if member.sex == "M" else "Mẹ",
                        "grandchild": "Cháu",
                    }.get(member.relation, ""),
                    {
                        "farmer": "Làm rẫy",
                        "factory": "Công nhân",
                        "student": "Học sinh",
                        "market": "Buôn bán",
                        "retired": "Hưu trí",
                    }.get(member.occupation, "Tự do"),
                ]
            )
    return rows, generator


def xlsx_of(rows) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH NHÂN KHẨU HUYỆN BÙ GIA MẬP"])
    sheet.append([])
    sheet.append(
        [
            "STT",
            "Họ và tên",
            "Giới tính",
            "Ngày sinh",
            "Số CCCD",
            "Số điện thoại",
            "Thôn",
            "Xã",
            "Mã hộ",
            "Quan hệ với chủ hộ",
            "Nghề nghiệp",
        ]
    )
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def truncate_people():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "TRUNCATE people_person, people_household, people_historicalperson, people_historicalhousehold RESTART IDENTITY CASCADE"
        )


def raw_insert_baseline(rows) -> float:
    """The same persons inserted with bulk_create, already parsed: the floor an import can approach."""
    from chongdich.core.text import fold
    from chongdich.people.models import Person
    from chongdich.territory.models import AdminUnit

    units = {u.short_name: u for u in AdminUnit.objects.filter(parent__code="691")}
    people = []
    for row in rows:
        person = Person(
            full_name=row[1],
            folded_name=fold(row[1]),
            sex="M" if row[2] == "Nam" else "F",
            birth_year=int(row[3][-4:]),
            cccd=row[4] or None,
            phone=row[5],
        )
        person.place_in(units[row[7]])
        people.append(person)
    start = time.perf_counter()
    Person.objects.bulk_create(people, batch_size=1000)
    elapsed = time.perf_counter() - start
    truncate_people()
    return elapsed


def run_import(actor, unit, content: bytes, dry_run_first: bool):
    from django.core.files.base import ContentFile

    from chongdich.core import imports
    from chongdich.core.models import ImportJob

    job = ImportJob(kind="people.persons", created_by=actor, unit=unit, unit_path=unit.path, original_name="ds.xlsx")
    job.file.save("ds.xlsx", ContentFile(content), save=False)
    job.save()
    timings = {}
    if dry_run_first:
        with timed("check", timings):
            imports.execute(job.pk, dry_run=True)
    with timed("import", timings):
        imports.execute(job.pk, dry_run=False)
    job.refresh_from_db()
    return job, timings


def bench_import(n: int) -> dict:
    from chongdich.accounts.models import Grant, User
    from chongdich.demo.generate import ensure_villages
    from chongdich.territory.models import AdminUnit

    district = AdminUnit.objects.get(code="691")
    ensure_villages(district)
    actor, _ = User.objects.get_or_create(username="bench.district")
    Grant.objects.get_or_create(user=actor, role="district_committee", unit=district)
    truncate_people()
    rows, _generator = build_rows(n, seed=11)
    content = xlsx_of(rows)
    say(f"(a) import: {len(rows):,} rows, xlsx {len(content) / 1e6:.1f} MB")
    baseline = raw_insert_baseline(rows)
    job, timings = run_import(actor, district, content, dry_run_first=True)
    assert job.status == "done", (job.status, job.message, job.errors[:3])
    rows_per_s = len(rows) / timings["import"]
    say(f"    raw bulk insert of the same rows (baseline): {baseline:6.1f} s  ({len(rows) / baseline:,.0f} rows/s)")
    say(f"    dry run (check, preview):                   {timings['check']:6.1f} s")
    say(
        f"    import (parse xlsx, validate, upsert, history): {timings['import']:6.1f} s  ({rows_per_s:,.0f} rows/s)"
        f"  ratio to baseline {timings['import'] / baseline:.1f}×  summary {job.summary}"
    )
    again, again_timings = run_import(actor, district, content, dry_run_first=False)
    say(f"    re-import of the same file:                 {again_timings['import']:6.1f} s  summary {again.summary}")
    assert again.summary["new"] == 0, again.summary
    return {
        "rows": len(rows),
        "baseline_s": baseline,
        "import_s": timings["import"],
        "rows_per_s": rows_per_s,
        "reimport_new": again.summary["new"],
    }


def copy_people(target: int, seed: int = 99) -> int:
    """Top the table up to ``target`` people with COPY, spread over the communes of four provinces."""
    from django.db import connection
    from django.utils import timezone

    from chongdich.core.text import fold
    from chongdich.demo.population import Generator
    from chongdich.people.models import Person
    from chongdich.territory.models import AdminUnit

    missing = target - Person.objects.count()
    if missing <= 0:
        return 0
    communes = [c for code in SEARCH_PROVINCES for c in AdminUnit.objects.filter(province_code=code, level="commune")]
    generator = Generator(seed, date(2021, 4, 1))
    generator.used_cccd.update(Person.objects.exclude(cccd=None).values_list("cccd", flat=True))
    generator.used_phone.update(Person.objects.exclude(phone="").values_list("phone", flat=True))
    now = timezone.now()
    columns = PERSON_COPY_COLUMNS
    written = 0
    rng = random.Random(seed)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY people_person ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        while written < missing:
            for household in generator.households(min(50_000, missing - written), ethnic_share=0.05):
                commune = rng.choice(communes)
                for m in household.members:
                    copy.write_row(
                        (
                            commune.pk,
                            commune.path,
                            commune.province_code,
                            commune.code,
                            m.full_name,
                            fold(m.full_name),
                            m.sex,
                            m.date_of_birth,
                            m.date_of_birth.year,
                            m.cccd,
                            m.phone,
                            m.relation,
                            "",
                            m.residence,
                            m.occupation,
                            "",
                            now,
                            now,
                        )
                    )
                    written += 1
            say(f"    people: {Person.objects.count() + written if False else written:,} / {missing:,} added")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE people_person")
    return written


def bench_search(total: int, queries: int) -> dict:
    from django.db import connection

    from chongdich.accounts.models import Grant, User
    from chongdich.people.models import Person
    from chongdich.people.selectors import search_people
    from chongdich.territory.models import AdminUnit

    added = copy_people(total)
    count = Person.objects.count()
    say(f"(b) search at {count:,} persons ({added:,} added with COPY)")
    province = AdminUnit.objects.get(code="70")
    commune = AdminUnit.objects.filter(province_code="70", level="commune").order_by("code").first()
    users = {}
    for name, role, unit in (
        ("bench.national", "national_admin", province),
        ("bench.province", "province_committee", province),
        ("bench.commune", "commune_committee", commune),
    ):
        user, _ = User.objects.get_or_create(username=name, defaults={"is_superuser": role == "national_admin"})
        Grant.objects.get_or_create(user=user, role=role, unit=unit)
        users[name.split(".")[1]] = User.objects.get(pk=user.pk)
    rng = random.Random(5)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT full_name, cccd, phone, unit_path FROM people_person TABLESAMPLE SYSTEM (1) LIMIT %s", [queries * 2]
        )
        sample = cursor.fetchall()
    rng.shuffle(sample)
    from chongdich.core.text import fold

    kinds: dict[str, list[str]] = {"full name, no diacritics": [], "surname + given name": [], "CCCD": [], "phone": []}
    for full_name, cccd, phone, _path in sample[:queries]:
        words = fold(full_name).split()
        kinds["full name, no diacritics"].append(" ".join(words))
        kinds["surname + given name"].append(f"{words[0]} {words[-1]}")
        if cccd:
            kinds["CCCD"].append(cccd)
        if phone:
            kinds["phone"].append("0" + phone[3:])
    results: dict[str, dict[str, list[float]]] = {}
    for user_name, user in users.items():
        for kind, texts in kinds.items():
            samples = []
            for text in texts[: queries // 2]:
                start = time.perf_counter()
                list(search_people(user, text)[:50])
                samples.append(time.perf_counter() - start)
            results.setdefault(user_name, {})[kind] = samples
    ids = list(Person.objects.values_list("pk", flat=True)[:: max(1, count // 500)])
    baseline = []
    for pk in ids[:200]:
        start = time.perf_counter()
        Person.objects.get(pk=pk)
        baseline.append(time.perf_counter() - start)
    say(f"    baseline: primary-key lookup            {summary_ms(baseline)}")
    overall = []
    for user_name, by_kind in results.items():
        for kind, samples in by_kind.items():
            overall.extend(samples)
            say(f"    {user_name:9} {kind:26} {summary_ms(samples)}")
    p95 = percentile(overall, 95) * 1000
    say(
        f"    all searches: {summary_ms(overall)}; p95 / baseline p50 = {p95 / (percentile(baseline, 50) * 1000):.0f}×"
        f"  target p95 < 100 ms: {'MET' if p95 < 100 else 'NOT MET'}"
    )
    return {"people": count, "p95_ms": p95}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--search-people", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    setup_django()
    require_postgres()
    from django.core.management import call_command

    from chongdich.territory.loaders import load_units
    from chongdich.territory.models import AdminUnit

    call_command("migrate", verbosity=0)
    if not AdminUnit.objects.filter(code="691").exists():
        load_units("legacy")
    if args.import_rows:
        bench_import(args.import_rows)
    if args.search_people:
        bench_search(args.search_people, args.queries)


if __name__ == "__main__":
    main()
