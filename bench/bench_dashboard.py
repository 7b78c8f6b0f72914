"""Dashboard and map at province scale (issue 5), on PostgreSQL.

A synthetic province of 300 communes (10 districts × 30) with 120 days of tallies written directly,
200,000 cases and 2,000,000 persons (COPY, minimal rows: they are there to prove the pages never
read them), a risk assessment per unit and day, and response tasks.  Times the dashboard and map
pages server-side (Django test client: middleware, session, templates) for a province, a district and
a commune officer, against baselines measured in the same run (a primary-key lookup and /healthz
through the same stack); prints the map payload size for 300 communes.  Targets: p95 < 200 ms,
payload < 200 KB.

Run: ./run bench, or
  DATABASE_URL="postgres://postgres@/benchdb6?host=/tmp/chongdich-pg-dev" .venv/bin/python bench/bench_dashboard.py
  (smaller: --persons 200000 --cases 20000 --repeats 50)
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import random
import time
from datetime import date, datetime, timedelta
from datetime import time as dtime

from common import (
    committee_users,
    copy_persons,
    percentile,
    province_communes,
    require_postgres,
    say,
    setup_django,
    summary_ms,
    synthetic_province,
    time_get,
    timed,
)

PROVINCE = "99"
DAY = date(2021, 8, 20)
DAYS = 120
DISTRICTS, COMMUNES_PER_DISTRICT = 10, 30


def copy_cases(target: int) -> int:
    from django.db import connection
    from django.utils import timezone

    from chongdich.surveillance.models import Case

    existing = Case.objects.filter(province_code=PROVINCE).count()
    if existing >= target:
        return 0
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, unit_id, unit_path, commune_code FROM people_person WHERE province_code = %s "
            "AND NOT EXISTS (SELECT 1 FROM surveillance_case c WHERE c.person_id = people_person.id) LIMIT %s",
            [PROVINCE, target - existing],
        )
        people = cursor.fetchall()
        rng = random.Random(8)
        with cursor.cursor.copy(
            "COPY surveillance_case (person_id, unit_id, unit_path, province_code, commune_code, case_number, "
            "confirmed_on, test_type, sample_code, detected_in, symptomatic, source_known, setting, severity, "
            "treatment_place, outcome, notes, created_at) FROM STDIN"
        ) as copy:
            for n, (pk, unit, path, commune) in enumerate(people, start=existing + 1):
                confirmed = DAY - timedelta(days=int(rng.triangular(0, DAYS - 1, 30)))
                copy.write_row(
                    (
                        pk,
                        unit,
                        path,
                        PROVINCE,
                        commune,
                        f"{PROVINCE}-{n:07d}",
                        confirmed,
                        "rt_pcr",
                        "",
                        "community" if n % 3 else "quarantine",
                        False,
                        True,
                        "",
                        "mild",
                        "home",
                        "active",
                        "",
                        now,
                    )
                )
        cursor.execute("ANALYZE surveillance_case")
    return len(people)


def write_tallies(cases: int) -> int:
    """120 days × 300 communes: an epidemic wave whose new cases add up to ``cases``; stocks as changes."""
    from django.db import connection

    from chongdich.tallies.models import ALL_FIELDS, DailyTally

    units = province_communes(PROVINCE)
    if DailyTally.objects.filter(province_code=PROVINCE).count() >= len(units) * DAYS:
        return 0
    DailyTally.objects.filter(province_code=PROVINCE).delete()
    rng = random.Random(5)
    first = DAY - timedelta(days=DAYS - 1)
    shape = [math.exp(-(((d - 80) / 22) ** 2)) for d in range(DAYS)]
    per_day = cases / sum(shape) / len(units)
    fields = list(ALL_FIELDS)
    rows = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(
            f"COPY tallies_dailytally (unit_id, unit_path, province_code, day, {', '.join(fields)}) FROM STDIN"
        ) as copy,
    ):
        for u, unit in enumerate(units):
            weight = rng.uniform(0.2, 1.8)
            for d in range(DAYS):
                new = max(0, round(shape[(d + u % 7) % DAYS] * per_day * weight + rng.gauss(0, 0.6)))
                community = round(new * 0.6)
                values = dict.fromkeys(fields, 0)
                values.update(
                    cases_new_community=community,
                    cases_new_community_unknown_source=community // 4,
                    cases_new_isolated=new - community,
                    cases_recovered=max(0, round(new * 0.8)),
                    cases_died=1 if rng.random() < 0.02 else 0,
                    samples_taken=new * 8,
                    tests_done=new * 8,
                    tests_positive=new,
                    active_home=new - round(new * 0.8),
                    f1_home_quarantine=new * 2 - round(new * 1.8),
                    samples_pending=rng.randint(-2, 2),
                    treatment_occupied=rng.randint(-1, 2),
                    quarantine_occupied=rng.randint(-2, 3),
                    treatment_capacity=40 if d == 0 else (10 if rng.random() < 0.01 else 0),
                    quarantine_capacity=60 if d == 0 else 0,
                    oxygen_capacity=10 if d == 0 else 0,
                    icu_capacity=2 if d == 0 else 0,
                )
                copy.write_row((unit.pk, unit.path, PROVINCE, first + timedelta(days=d), *(values[f] for f in fields)))
                rows += 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tallies_dailytally")
    return rows


def write_assessments() -> int:
    """A stored assessment per unit (communes, districts, the province) and day, levels drifting."""
    from django.db import connection
    from django.utils import timezone

    from chongdich.risk.models import RiskAssessment
    from chongdich.risk.rules import scale
    from chongdich.territory.models import AdminUnit

    units = list(AdminUnit.objects.filter(path__startswith=f"/{PROVINCE}/").order_by("path"))
    if RiskAssessment.objects.filter(province_code=PROVINCE).count() >= len(units) * DAYS:
        return 0
    RiskAssessment.objects.filter(province_code=PROVINCE).delete()
    rng = random.Random(9)
    tz = timezone.get_current_timezone()
    first = DAY - timedelta(days=DAYS - 1)
    columns = (
        "unit_id",
        "code",
        "name",
        "tier",
        "unit_path",
        "province_code",
        "day",
        "framework",
        "rule_version",
        "inputs",
        "indicators",
        "computed_level",
        "applied_level",
        "colour",
        "reasons",
        "missing",
        "method",
        "announced_at",
        "in_force_framework",
        "in_force_level",
        "in_force_since",
        "pending_framework",
    )
    rows = 0
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY risk_riskassessment ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for unit in units:
            level, since = 0, datetime.combine(first, dtime(7), tz)
            for d in range(DAYS):
                day = first + timedelta(days=d)
                if rng.random() < 0.04:
                    level, since = max(0, min(3, level + rng.choice((-1, 1, 1)))), datetime.combine(day, dtime(6), tz)
                copy.write_row(
                    (
                        unit.pk,
                        unit.code,
                        unit.name,
                        unit.level,
                        unit.path,
                        PROVINCE,
                        day,
                        "2686",
                        "bench",
                        "{}",
                        "{}",
                        level,
                        level,
                        scale("2686").colour(level),
                        "[]",
                        "[]",
                        "rules",
                        datetime.combine(day, dtime(6), tz),
                        "2686",
                        level,
                        since,
                        "",
                    )
                )
                rows += 1
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE risk_riskassessment")
    return rows


def write_tasks() -> None:
    from django.utils import timezone

    from chongdich.risk.models import Task
    from chongdich.territory.models import AdminUnit

    if Task.objects.filter(province_code=PROVINCE).exists():
        return
    tz = timezone.get_current_timezone()
    tasks = []
    for i, district in enumerate(AdminUnit.objects.filter(parent__code=PROVINCE)):
        for j in range(30):
            task = Task(
                code=f"T{j}",
                agency="health",
                agency_vi="Trung tâm Y tế",
                agency_en="Health centre",
                what_vi=f"Việc {j}",
                what_en=f"Task {j}",
                deadline=datetime.combine(DAY + timedelta(days=j - 20), dtime(8), tz),
                source_scenario=2,
                activated_on=DAY - timedelta(days=25 - i),
            )
            task.place_in(district)
            tasks.append(task)
    Task.objects.bulk_create(tasks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    setup_django()
    require_postgres()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from chongdich.territory.loaders import load_units
    from chongdich.territory.models import AdminUnit

    settings.CHONGDICH_TODAY = DAY.isoformat()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    if not AdminUnit.objects.filter(code="691").exists():
        load_units("legacy")  # the country's 10,035 communes around the synthetic province, as in production
    results: dict = {}
    with timed("units", results):
        synthetic_province(
            PROVINCE,
            "Tỉnh Thử Nghiệm",
            district_name="Huyện Thử",
            commune_name="Xã Thử Nghiệm",
            districts=DISTRICTS,
            communes_per_district=COMMUNES_PER_DISTRICT,
        )
        AdminUnit.objects.filter(code=PROVINCE).update(population_total=2_000_000)
    with timed("persons", results):
        added_people = copy_persons(PROVINCE, args.persons)
    with timed("cases", results):
        added_cases = copy_cases(args.cases)
    with timed("tallies", results):
        tallies = write_tallies(args.cases)
    with timed("assessments", results):
        assessments = write_assessments()
    write_tasks()
    from chongdich.people.models import Person
    from chongdich.risk.models import RiskAssessment
    from chongdich.surveillance.models import Case
    from chongdich.tallies.models import DailyTally

    say(
        f"data: {Person.objects.count():,} persons (+{added_people:,} in {results['persons']:.0f} s), "
        f"{Case.objects.count():,} cases (+{added_cases:,}), {DailyTally.objects.filter(province_code=PROVINCE).count():,} "
        f"tally rows (+{tallies:,}), {RiskAssessment.objects.filter(province_code=PROVINCE).count():,} assessments "
        f"(+{assessments:,}), {len(province_communes(PROVINCE))} communes in the province, {AdminUnit.objects.filter(level='commune').count():,} in the country"
    )

    people, _district, _commune = committee_users("bench.dash", PROVINCE, "9903")
    clients = {}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        clients[name] = client
    district = AdminUnit.objects.get(code="9903")
    pages = {
        "province": ["/dashboard/", "/dashboard/map/"],
        "district": ["/dashboard/", "/dashboard/map/"],
        "commune": ["/dashboard/", "/dashboard/map/"],
    }
    say(f"timing ({args.repeats} requests each after a warm-up; server time through the full middleware stack):")
    # Baselines in the same process: a primary-key lookup, and a trivial view through the same stack.
    ids = list(AdminUnit.objects.values_list("pk", flat=True)[::50])
    baseline_pk = []
    for pk in ids[: args.repeats]:
        start = time.perf_counter()
        AdminUnit.objects.get(pk=pk)
        baseline_pk.append(time.perf_counter() - start)
    time_get(clients["province"], "/healthz", 10)
    baseline_view = time_get(clients["province"], "/healthz", args.repeats)
    say(f"    baseline: primary-key lookup           {summary_ms(baseline_pk)}")
    say(f"    baseline: /healthz (same stack)        {summary_ms(baseline_view)}")
    p50_view = percentile(baseline_view, 50)
    worst = 0.0
    for name, urls in pages.items():
        for url in urls:
            client = clients[name]
            time_get(client, url, 5)
            queries: list[str] = []

            def record(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(record):
                client.get(url)
            samples = time_get(client, url, args.repeats)
            p95 = percentile(samples, 95)
            worst = max(worst, p95)
            touched = [
                sql
                for sql in queries
                if any(t in sql for t in ("people_person", "surveillance_", "care_stay", "testing_sample"))
            ]
            say(
                f"    {name:8} {url:18} {summary_ms(samples)}  p50/healthz {percentile(samples, 50) / p50_view:4.1f}×"
                f"  {len(queries)} queries{'  READS PERSON TABLES' if touched else ''}"
            )
    # The other views of the scope: a district dashboard opened by the province officer, a day in the past.
    for label, url in (
        ("province → district", f"/dashboard/?unit={district.code}"),
        ("province, 30 days ago", f"/dashboard/?day={(DAY - timedelta(days=30)).isoformat()}"),
        ("province, 120-day curve", "/dashboard/?days=120"),
        ("province map data", "/dashboard/map/data.json"),
    ):
        time_get(clients["province"], url, 3)
        samples = time_get(clients["province"], url, max(20, args.repeats // 4))
        worst = max(worst, percentile(samples, 95))
        say(f"    {label:27} {summary_ms(samples)}")
    say(f"    worst p95 {worst * 1000:.1f} ms — target p95 < 200 ms: {'MET' if worst < 0.2 else 'NOT MET'}")

    from chongdich.dashboard import mapdata
    from chongdich.dashboard.selectors import place_of

    province = AdminUnit.objects.get(code=PROVINCE)
    for days in (60, 120):
        payload = mapdata.map_payload(place_of(province), DAY, days)
        body = json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode()
        size, packed = len(body), len(gzip.compress(body))
        say(
            f"map payload, {len(payload['u'])} communes × {days} days of levels: {size:,} bytes ({size / 1024:.0f} KB), "
            f"gzipped {packed:,} bytes ({packed / 1024:.0f} KB) — target < 200 KB: {'MET' if size < 200 * 1024 else 'NOT MET'}"
        )
    page = clients["province"].get("/dashboard/map/", HTTP_ACCEPT_ENCODING="gzip")
    dash = clients["province"].get("/dashboard/", HTTP_ACCEPT_ENCODING="gzip")
    say(f"pages as sent (gzip): map page {len(page.content):,} bytes, dashboard {len(dash.content):,} bytes")


if __name__ == "__main__":
    main()
