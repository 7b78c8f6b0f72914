"""The daily risk assessment of a whole country from tallies, on PostgreSQL (issue 4 §9).

Loads the legacy structure (63 provinces, 696 districts, ~10,035 communes, adjacency derived from
centroids), gives every commune a population by age band, synthesises 120 days of tallies for every
commune (a row per commune per day: flows and stock changes, beds at each district), ~1,500 open
clusters with their cases, then times the full job — gathering the inputs in a handful of queries,
the engine (communes, then roll-up to districts, provinces, the nation), storing one row per unit
and the scenarios — target < 2 s; its re-run (replacing the day) and the next day's run; and, as
the baseline in the same process, the pure engine (``assess_units``) on the inputs already built.

    ./run bench   (or: DATABASE_URL=postgres://… .venv/bin/python bench/bench_risk_assess.py [--days 120] [--repeats 3])
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import date, timedelta

from common import require_postgres, say, setup_django

DAY = date(2021, 8, 20)  # QĐ 2686 in force
TARGET_S = 2.0


def ensure_units() -> None:
    from chongdich.territory.actions import derive_adjacency
    from chongdich.territory.loaders import load_units
    from chongdich.territory.models import Adjacency, AdminUnit

    if AdminUnit.objects.filter(level="commune").count() < 10_000:
        start = time.perf_counter()
        result = load_units("legacy")
        say(
            f"    loaded legacy units: {result.provinces} provinces, {result.districts} districts, "
            f"{result.communes:,} communes ({time.perf_counter() - start:.0f} s)"
        )
    if not Adjacency.objects.exists():  # other benchmarks load the units without it
        say(f"    neighbour pairs derived from centroids: {derive_adjacency():,}")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM territory_adminunit WHERE level = 'commune' AND population_total IS NULL")
        if cursor.fetchone()[0]:
            cursor.execute("SELECT setseed(0.2021)")
            cursor.execute(
                "UPDATE territory_adminunit SET pop_0_17 = (1500 + random() * 3500)::int, "
                "pop_18_49 = (2500 + random() * 6000)::int, pop_50_64 = (800 + random() * 2200)::int, "
                "pop_65_plus = (300 + random() * 1200)::int WHERE level = 'commune'"
            )
            cursor.execute(
                "UPDATE territory_adminunit SET population_total = pop_0_17 + pop_18_49 + pop_50_64 + pop_65_plus "
                "WHERE level = 'commune'"
            )
            say("    population by age band set for every commune")


def ensure_tallies(days: int, seed: int = 2021) -> None:
    """A tally row per commune per day for ``days`` days up to DAY, plus beds at each district."""
    from django.db import connection

    from chongdich.tallies.models import ALL_FIELDS, DailyTally
    from chongdich.territory.models import AdminUnit

    communes = list(AdminUnit.objects.filter(level="commune").values_list("pk", "path", "province_code", "parent_id"))
    expected = len(communes) * days
    if DailyTally.objects.count() >= expected:
        say(f"    reusing {DailyTally.objects.count():,} tally rows")
        return
    rng = random.Random(seed)
    start = time.perf_counter()
    fields = list(ALL_FIELDS)
    index = {name: i for i, name in enumerate(fields)}
    first_day = DAY - timedelta(days=days - 1)
    districts_done: set[int] = set()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE tallies_dailytally")
        with cursor.cursor.copy(
            f"COPY tallies_dailytally (unit_id, unit_path, province_code, day, {', '.join(fields)}) FROM STDIN"
        ) as copy:
            for pk, path, province, district in communes:
                outbreak = rng.random() < 0.15
                active = f1 = 0
                for offset in range(days):
                    day = first_day + timedelta(days=offset)
                    row = [0] * len(fields)
                    if offset == 0 and district not in districts_done:  # the district's beds, in its first commune
                        districts_done.add(district)
                        row[index["treatment_capacity"]] = rng.randint(50, 400)
                        row[index["oxygen_capacity"]] = rng.randint(10, 80)
                        row[index["icu_capacity"]] = rng.randint(0, 12)
                    if outbreak and offset > days // 2 and rng.random() < 0.3:
                        new = rng.randint(1, 6)
                        row[index["cases_new_community"]] = new
                        row[index["cases_new_community_unknown_source"]] = (
                            rng.randint(0, 1) if rng.random() < 0.2 else 0
                        )
                        row[index["active_home"]] = new
                        active += new
                        row[index["f1_home_quarantine"]] = new * 3
                        f1 += new * 3
                        if rng.random() < 0.3:
                            row[index["cases_hospitalised"]] = 1
                            row[index["treatment_occupied"]] = 1
                    if active and rng.random() < 0.2:
                        row[index["cases_recovered"]] = 1
                        row[index["active_home"]] -= 1
                        active -= 1
                    if f1 and rng.random() < 0.2:
                        row[index["f1_home_quarantine"]] -= min(f1, 3)
                        f1 -= min(f1, 3)
                    row[index["samples_taken"]] = rng.randint(0, 40)
                    copy.write_row((pk, path, province, day, *row))
        cursor.execute("ANALYZE tallies_dailytally")
    say(
        f"    tallies: {DailyTally.objects.count():,} rows for {len(communes):,} communes × {days} days "
        f"({time.perf_counter() - start:.0f} s)"
    )


def ensure_clusters(count: int = 1500, seed: int = 7) -> None:
    """Open clusters in random communes, each with 2–8 cases confirmed in the last 14 days."""
    from django.db import connection
    from django.utils import timezone

    from chongdich.surveillance.models import Case, Cluster
    from chongdich.territory.models import AdminUnit

    if Cluster.objects.count() >= count:
        say(f"    reusing {Cluster.objects.count():,} clusters, {Case.objects.count():,} cases")
        return
    rng = random.Random(seed)
    communes = list(AdminUnit.objects.filter(level="commune").values_list("pk", "path", "province_code", "code"))
    settings = ["market", "household", "household", "industrial_park", "school", "other", "supermarket", "hospital"]
    now = timezone.now()
    chosen = [communes[rng.randrange(len(communes))] for _ in range(count)]
    Cluster.objects.bulk_create(
        [
            Cluster(
                name=f"Ổ dịch {n}",
                setting=rng.choice(settings),
                source_known=rng.random() < 0.8,
                opened_on=DAY - timedelta(days=13),
                unit_id=pk,
                unit_path=path,
                province_code=province,
                commune_code=code,
            )
            for n, (pk, path, province, code) in enumerate(chosen)
        ],
        batch_size=2000,
    )
    clusters = list(Cluster.objects.values_list("pk", "unit_id", "unit_path", "province_code", "commune_code"))
    cases = [(cluster, rng.randint(2, 8)) for cluster in clusters]
    total = sum(n for _, n in cases)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(
            "COPY people_person (unit_id, unit_path, province_code, commune_code, full_name, folded_name, "
            "sex, birth_year, phone, relation, address, residence_status, occupation_group, notes, "
            "created_at, updated_at) FROM STDIN"
        ) as copy:
            for (_pk, unit, path, province, commune), n in cases:
                for _ in range(n):
                    copy.write_row(
                        (
                            unit,
                            path,
                            province,
                            commune,
                            "Ca bệnh",
                            "ca benh",
                            "M",
                            1980,
                            "",
                            "",
                            "",
                            "permanent",
                            "",
                            "",
                            now,
                            now,
                        )
                    )
        cursor.execute("SELECT id FROM people_person ORDER BY id DESC LIMIT %s", [total])
        people = [row[0] for row in cursor.fetchall()]
        with cursor.cursor.copy(
            "COPY surveillance_case (person_id, unit_id, unit_path, province_code, commune_code, case_number, "
            "confirmed_on, test_type, sample_code, detected_in, symptomatic, source_known, setting, "
            "severity, treatment_place, outcome, notes, cluster_id, created_at) FROM STDIN"
        ) as copy:
            serial = 0
            for (pk, unit, path, province, commune), n in cases:
                for _ in range(n):
                    serial += 1
                    copy.write_row(
                        (
                            people.pop(),
                            unit,
                            path,
                            province,
                            commune,
                            f"BENCH-{serial:07d}",
                            DAY - timedelta(days=rng.randrange(14)),
                            "rt_pcr",
                            "",
                            "community",
                            False,
                            True,
                            "",
                            "mild",
                            "home",
                            "active",
                            "",
                            pk,
                            now,
                        )
                    )
        cursor.execute("ANALYZE surveillance_case")
        cursor.execute("ANALYZE surveillance_cluster")
    say(f"    clusters: {len(clusters):,} with {total:,} cases")


def bench(repeats: int) -> None:
    from django.db import connection

    from chongdich.risk.assess import assess_day
    from chongdich.risk.configuration import deployment_config
    from chongdich.risk.inputs import gather
    from chongdich.risk.models import RiskAssessment
    from chongdich.risk.rules import assess_units

    config = deployment_config()
    RiskAssessment.objects.filter(day__gte=DAY - timedelta(days=1)).delete()
    yesterday = assess_day(DAY - timedelta(days=1), config=config)
    say(f"    previous day stored: {yesterday.units:,} units ({yesterday.seconds['total']:.2f} s)")

    gather_times, engine_times = [], []
    for _ in range(repeats):
        start = time.perf_counter()
        gathered = gather(DAY)
        gather_times.append(time.perf_counter() - start)
        start = time.perf_counter()
        results = assess_units(gathered.units, as_of=DAY, framework="2686", config=config)
        engine_times.append(time.perf_counter() - start)
    communes = sum(1 for unit in gathered.units if unit.tier.value == "commune")
    say(
        f"    {len(gathered.units):,} units ({communes:,} communes); levels: "
        + ", ".join(f"{c} {n:,}" for c, n in sorted(_colours(results).items()))
    )

    first = assess_day(DAY, config=config)  # the day's first run (yesterday's rows give the timeline)
    reruns = [assess_day(DAY, config=config) for _ in range(repeats)]  # replaces the day's rows
    stored = RiskAssessment.objects.filter(day=DAY).count()
    assert stored == first.units == reruns[-1].units, (stored, first.units)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_size_pretty(pg_total_relation_size('risk_riskassessment'))")
        size = cursor.fetchone()[0]

    engine = statistics.median(engine_times)
    total_first = first.seconds["total"]
    total_rerun = statistics.median(r.seconds["total"] for r in reruns)
    say(
        f"    inputs from tallies and records (gather): median {statistics.median(gather_times) * 1000:.0f} ms "
        f"(n={repeats})"
    )
    say(f"    baseline — pure engine assess_units on the built inputs: median {engine * 1000:.0f} ms")
    say(
        f"    full job, first run of the day: {total_first * 1000:.0f} ms "
        f"(gather {first.seconds['gather'] * 1000:.0f}, engine {first.seconds['engine'] * 1000:.0f}, "
        f"store+scenarios {first.seconds['store'] * 1000:.0f}); {first.changes_announced:,} changes announced, "
        f"{first.scenario_switches} scenario switches, {first.tasks_created} tasks"
    )
    say(f"    full job, re-run replacing the day: median {total_rerun * 1000:.0f} ms (n={repeats})")
    say(
        f"    ratio full job / pure engine: {total_first / engine:.1f}× (first run), {total_rerun / engine:.1f}× (re-run)"
    )
    say(f"    stored rows for the day: {stored:,}; table size with 2 days: {size}")
    worst = max(total_first, total_rerun)
    say(
        f"    target < {TARGET_S:.0f} s for assessing, rolling up and storing all units: "
        f"{'MET' if worst < TARGET_S else 'NOT MET'} ({worst:.2f} s)"
    )


def _colours(results) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        key = result.colour or "none"
        counts[key] = counts.get(key, 0) + 1
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    require_postgres()
    from django.conf import settings

    settings.CHONGDICH_TODAY = DAY.isoformat()
    say("risk: daily assessment of every unit from tallies (PostgreSQL)")
    ensure_units()
    ensure_tallies(args.days)
    ensure_clusters()
    bench(args.repeats)


if __name__ == "__main__":
    main()
