"""Vaccination coverage at province scale (issue 10 §7), on PostgreSQL.

A synthetic province of 300 communes (10 districts × 30) and 2,000,000 people (COPY; population by
age band on the communes), 3,000,000 dose records (COPY: first doses for 90% of people 14 and over, the
second dose completing the series for 85% of them, a booster for 60% of those when due by the day) and 200,000 priority-group
enrolments.  Measures:

- the full recompute of the vaccination tallies from the dose and enrolment records
  (``tallies.rebuild.rebuild_vaccination``: one grouped ``INSERT … SELECT`` per source) — target < 60 s;
- the pages that read them, server-side through the full middleware stack (Django test client):
  the dashboard (its coverage tile), the coverage page (≥ 95% target view) of the province, a
  district and a commune, the map data with its coverage layer — target p95 < 100 ms — against a
  /healthz baseline measured in the same run;
- the risk engine's read of the coverage inputs for every commune (``tallies.coverage.risk_counts``).

Run: ./run bench, or
  DATABASE_URL="postgres://postgres@/covbench?host=/tmp/cov-pg" .venv/bin/python bench/bench_vaccination_coverage.py
  (smaller: --persons 200000 --repeats 50; the doses follow: 1.5 per person)
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

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

PROVINCE = "98"
DAY = date(2022, 3, 1)
DISTRICTS, COMMUNES_PER_DISTRICT = 10, 30
FIRST_DOSE_FROM = date(2021, 6, 1)
PRODUCTS = (("AZ", 56), ("PF", 21), ("VC", 21), ("MO", 28))  # (code, days to the second dose)
GROUPS = (("G01", False), ("G07", True), ("G09", True), ("G12", False))
DOSE_COLUMNS = (
    "unit_id",
    "unit_path",
    "province_code",
    "commune_code",
    "created_at",
    "person_id",
    "product",
    "lot_number",
    "given_on",
    "site_name",
    "source",
    "kind",
    "number",
    "completes_primary",
    "age_band",
    "priority_group",
    "high_risk",
    "problems",
    "override_reason",
    "observation_done",
    "void_reason",
)
ENROLMENT_COLUMNS = (
    "unit_id",
    "unit_path",
    "province_code",
    "commune_code",
    "created_at",
    "person_id",
    '"group"',
    "high_risk",
    "since",
    "note",
)


def birth_year(i: int) -> int:
    """Ages spread like the bands: 25% under 18, 50% 18–49, 15% 50–64, 10% 65+ (in 2021)."""
    share = (i * 7919) % 100
    if share < 25:
        return 2004 + share % 15
    if share < 75:
        return 1972 + share % 31
    if share < 90:
        return 1957 + share % 15
    return 1935 + share % 21


def band(year: int, on: date) -> str:
    age = on.year - year
    if age < 18:
        return "0_17"
    if age < 50:
        return "18_49"
    return "50_64" if age < 65 else "65_plus"


def copy_doses(target: int) -> tuple[int, int]:
    """Dose records for the province's people until ``target``: dose 1, dose 2 (completing), booster;
    and the priority-group enrolments of one person in ten."""
    from django.db import connection
    from django.utils import timezone

    from chongdich.vaccination.models import Dose

    if Dose.objects.filter(province_code=PROVINCE).count() >= target:
        return 0, 0
    with connection.cursor() as cursor:  # raw: a model delete would write a history row per dose
        cursor.execute("DELETE FROM vaccination_dose WHERE province_code = %s", [PROVINCE])
        cursor.execute("DELETE FROM vaccination_enrolment WHERE province_code = %s", [PROVINCE])
    now = timezone.now()
    rng = random.Random(7)
    doses = enrolments = 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, unit_id, unit_path, commune_code, birth_year FROM people_person WHERE province_code = %s "
            "ORDER BY id",
            [PROVINCE],
        )
        people = cursor.fetchall()
        enrolled = []
        with cursor.cursor.copy(f"COPY vaccination_dose ({', '.join(DOSE_COLUMNS)}) FROM STDIN") as copy:
            for pk, unit, path, commune, year in people:
                if doses >= target:
                    break
                if rng.random() >= 0.9 or year > 2007:  # not vaccinated (children under 14 in this synthetic run)
                    continue
                product, gap = PRODUCTS[rng.randrange(len(PRODUCTS))]
                group, risk = ("", False)
                if rng.random() < 0.1:
                    group, risk = GROUPS[rng.randrange(len(GROUPS))]
                    enrolled.append((pk, unit, path, commune, group, risk))
                first = FIRST_DOSE_FROM + timedelta(days=rng.randrange(180))
                base = (unit, path, PROVINCE, commune, now, pk, product, "", first, "", "demo")
                tail = ("[]", "", True, "")
                copy.write_row((*base, "primary", 1, False, band(year, first), group, risk, *tail))
                doses += 1
                if rng.random() < 0.85:
                    second = first + timedelta(days=gap + rng.randrange(14))
                    copy.write_row(
                        (*base[:8], second, *base[9:], "primary", 2, True, band(year, second), group, risk, *tail)
                    )
                    doses += 1
                    if rng.random() < 0.6:
                        booster = second + timedelta(days=180 + rng.randrange(60))
                        if booster <= DAY:
                            row = (*base[:6], "PF", "", booster, *base[9:])
                            copy.write_row((*row, "booster", 1, False, band(year, booster), group, risk, *tail))
                            doses += 1
        with cursor.cursor.copy(f"COPY vaccination_enrolment ({', '.join(ENROLMENT_COLUMNS)}) FROM STDIN") as copy:
            for pk, unit, path, commune, group, risk in enrolled:
                copy.write_row((unit, path, PROVINCE, commune, now, pk, group, risk, FIRST_DOSE_FROM, ""))
                enrolments += 1
        cursor.execute("ANALYZE vaccination_dose")
        cursor.execute("ANALYZE vaccination_enrolment")
    return doses, enrolments


def coverage_doses(province: str, path: str) -> int:
    """Doses of the province up to the day as the indicators read them (the running totals)."""
    from chongdich.tallies.coverage import coverage_parameters, known_provinces, unit_totals

    totals = unit_totals(path, DAY, coverage_parameters(DAY, province), known_provinces(DAY))
    return sum(measures["doses"] for _path, measures in totals.values())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--doses", type=int, default=None, help="default: 1.5 per person (3,000,000)")
    parser.add_argument("--repeats", type=int, default=200)
    args = parser.parse_args()
    doses_target = args.doses or args.persons * 3 // 2
    setup_django()
    require_postgres()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from chongdich.tallies.coverage import coverage_of, risk_counts
    from chongdich.tallies.models import VaccinationCumulative, VaccinationTally
    from chongdich.tallies.rebuild import rebuild_vaccination
    from chongdich.territory.loaders import load_units
    from chongdich.territory.models import AdminUnit
    from chongdich.vaccination.models import Dose, Enrolment

    settings.CHONGDICH_TODAY = f"{DAY.isoformat()}T14:00"
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0)
    if not AdminUnit.objects.filter(code="691").exists():
        load_units("legacy")  # the country's communes around the synthetic province, as in production
    results: dict = {}
    with timed("units", results):
        synthetic_province(
            PROVINCE,
            "Tỉnh Tiêm Chủng",
            district_name="Huyện Tiêm",
            commune_name="Xã Tiêm",
            districts=DISTRICTS,
            communes_per_district=COMMUNES_PER_DISTRICT,
            lat=12.5,
            lon=107.9,
            per_commune=args.persons // (DISTRICTS * COMMUNES_PER_DISTRICT),
        )
    with timed("persons", results):
        added_people = copy_persons(PROVINCE, args.persons, birth_year=birth_year, name=lambda i: f"Nguyễn Văn {i}")
    with timed("doses", results):
        added_doses, added_enrolments = copy_doses(doses_target)
    doses = Dose.objects.filter(province_code=PROVINCE).count()
    say(
        f"data: {args.persons:,} people in the province (+{added_people:,} in {results['persons']:.0f} s), "
        f"{doses:,} dose records (+{added_doses:,} in {results['doses']:.0f} s), "
        f"{Enrolment.objects.filter(province_code=PROVINCE).count():,} enrolments (+{added_enrolments:,}), "
        f"{len(province_communes(PROVINCE))} communes, {AdminUnit.objects.filter(level='commune').count():,} in the country"
    )

    # -- the full recompute from the records -----------------------------------------------------------
    runs = []
    for _ in range(2):
        start = time.perf_counter()
        rows = rebuild_vaccination()
        runs.append(time.perf_counter() - start)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE tallies_vaccinationtally")
        cursor.execute("ANALYZE tallies_vaccinationcumulative")
    all_doses = Dose.objects.count()
    say(
        f"full recompute of the vaccination tallies from {all_doses:,} doses and "
        f"{Enrolment.objects.count():,} enrolments: {min(runs):.1f} s (runs: {', '.join(f'{r:.1f}' for r in runs)}), "
        f"{rows:,} tally rows, {all_doses / min(runs):,.0f} doses/s — target < 60 s: "
        f"{'MET' if max(runs) < 60 else 'NOT MET'}"
    )
    province = AdminUnit.objects.get(code=PROVINCE)
    coverage = coverage_of(PROVINCE, province.path, DAY)
    stored = sum(VaccinationTally.objects.filter(province_code=PROVINCE).values_list("doses", flat=True))
    running = VaccinationCumulative.objects.filter(province_code=PROVINCE)
    say(
        f"running totals: {running.count():,} rows for the province; their doses up to the day "
        f"(what the indicators read) {coverage_doses(PROVINCE, province.path):,}"
    )
    say(
        f"check: tallied doses of the province {stored:,} = dose records {doses:,}: {'yes' if stored == doses else 'NO'}; "
        f"first dose {coverage.dose1_pct:.1f}% of adults, full {coverage.full_pct:.1f}%, booster "
        f"{coverage.booster_pct:.1f}%, dropout {coverage.dropout_pct:.1f}%"
    )

    # -- the pages ---------------------------------------------------------------------------------------
    people, district, commune = committee_users("bench.cov", PROVINCE, "9803")
    clients = {}
    for name, user in people.items():
        client = Client()
        client.force_login(user)
        clients[name] = client
    time_get(clients["province"], "/healthz", 10)
    baseline = time_get(clients["province"], "/healthz", args.repeats)
    say(f"timing ({args.repeats} requests each after a warm-up; server time through the full middleware stack):")
    say(f"    baseline: /healthz (same stack)            {summary_ms(baseline)}")
    p50_view = percentile(baseline, 50)
    worst = 0.0
    pages = (
        ("province", "dashboard (coverage tile)", "/dashboard/"),
        ("province", "coverage page, province", "/dashboard/coverage/"),
        ("province", "coverage page, full series", "/dashboard/coverage/?measure=full"),
        ("district", "coverage page, district", "/dashboard/coverage/"),
        ("commune", "coverage page, commune", "/dashboard/coverage/"),
        ("commune", "dashboard, commune", "/dashboard/"),
        ("province", "map data (coverage layer)", "/dashboard/map/data.json"),
    )
    for who, label, url in pages:
        client = clients[who]
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
        touched = [sql for sql in queries if "vaccination_dose" in sql or "people_person" in sql]
        say(
            f"    {label:30} {summary_ms(samples)}  p50/healthz {percentile(samples, 50) / p50_view:4.1f}×"
            f"  {len(queries)} queries{'  READS DOSES OR PEOPLE' if touched else ''}"
        )
    say(f"    worst p95 {worst * 1000:.1f} ms — target p95 < 100 ms: {'MET' if worst < 0.1 else 'NOT MET'}")
    samples = []
    for _ in range(max(10, args.repeats // 10)):
        start = time.perf_counter()
        known, counts = risk_counts(DAY)
        samples.append(time.perf_counter() - start)
    say(f"risk inputs: the coverage counts of every commune ({len(counts):,} units) {summary_ms(samples)}")


if __name__ == "__main__":
    main()
