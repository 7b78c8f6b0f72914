"""Chains and contacts at province scale (issue 3), on PostgreSQL:

2,000,000 persons, 200,000 cases in transmission chains of heavy-tailed sizes (up to 10,000),
2,000,000 exposures (case–case links, case → F1, F1 → F2).  Measures:
- a case's chain and its F1/F2 list (target p95 < 50 ms);
- adding an exposure that merges two chains, through the service (target p95 < 20 ms);
- recomputing every chain from the database, and union-find in memory against networkx's
  connected components over the same edges (ratio).

Run: ./run bench, or .venv/bin/python bench/bench_chains.py --persons 200000 --cases 20000 --exposures 200000
"""

from __future__ import annotations

import argparse
import random
import time
from datetime import date, datetime, timedelta

from common import percentile, require_postgres, say, setup_django, summary_ms, timed


def chain_sizes(total: int, rng: random.Random, biggest: int) -> list[int]:
    """Heavy-tailed chain sizes: one of ``biggest``, then a Pareto tail down to singletons."""
    sizes = [min(biggest, total)]
    while sum(sizes) < total:
        size = min(int(rng.paretovariate(1.2)), biggest // 5)
        sizes.append(max(1, min(size, total - sum(sizes))))
    return sizes


def build(persons: int, cases: int, exposures: int, seed: int = 7) -> dict:
    from bench_people import copy_people
    from django.db import connection
    from django.utils import timezone

    from chongdich.people.models import Person
    from chongdich.surveillance.models import Case, Contact, Exposure

    rng = random.Random(seed)
    results: dict = {}
    if Case.objects.count() >= cases:
        say(f"    reusing {Case.objects.count():,} cases already loaded")
        return results
    with timed("persons", results):
        copy_people(persons, seed=seed)
    say(f"    persons: {Person.objects.count():,} ({results['persons']:.0f} s)")
    rows = list(Person.objects.values_list("pk", "unit_id", "unit_path", "province_code", "commune_code"))
    rng.shuffle(rows)
    case_people, others = rows[:cases], rows[cases:]
    sizes = chain_sizes(cases, rng, biggest=min(10_000, cases // 10))
    start_day = date(2021, 6, 1)
    now = timezone.now()
    case_rows, edges, f1_rows, f2_rows = [], [], [], []
    position = 0
    for size in sizes:
        members = case_people[position : position + size]
        position += size
        origin = start_day + timedelta(days=rng.randrange(60))
        for i, (pk, unit, path, province, commune) in enumerate(members):
            confirmed = origin + timedelta(days=min(90, i // 50 + rng.randrange(3)))
            case_rows.append((pk, unit, path, province, commune, confirmed))
            if i:
                parent = members[rng.randrange(max(1, i - 200), i)] if i > 1 else members[0]
                edges.append((parent[0], pk, confirmed - timedelta(days=2), parent))
    budget = exposures - len(edges)
    f1_count = int(budget * 0.65)
    contacts_of_case: dict[int, list] = {}
    for _ in range(f1_count):
        case = case_rows[rng.randrange(len(case_rows))]
        other = others[rng.randrange(len(others))]
        f1_rows.append((case, other))
        contacts_of_case.setdefault(case[0], []).append(other)
    f1_list = [(case, other) for case, other in f1_rows]
    for _ in range(budget - f1_count):
        case, f1 = f1_list[rng.randrange(len(f1_list))]
        other = others[rng.randrange(len(others))]
        while other[0] == f1[0]:  # nobody is their own contact (the table refuses it)
            other = others[rng.randrange(len(others))]
        f2_rows.append((case, f1, other))
    say(
        f"    generated {len(case_rows):,} cases in {len(sizes):,} chains (largest {max(sizes):,}), "
        f"{len(edges):,} case links, {len(f1_rows):,} F1 and {len(f2_rows):,} F2 exposures"
    )
    with timed("copy", results), connection.cursor() as cursor:
        with cursor.cursor.copy(
            "COPY surveillance_case (person_id, unit_id, unit_path, province_code, commune_code, case_number, "
            "confirmed_on, test_type, sample_code, detected_in, symptomatic, source_known, setting, severity, "
            "treatment_place, outcome, notes, created_at) FROM STDIN"
        ) as copy:
            for n, (pk, unit, path, province, commune, confirmed) in enumerate(case_rows, start=1):
                copy.write_row(
                    (
                        pk,
                        unit,
                        path,
                        province,
                        commune,
                        f"{province}-{n:06d}",
                        confirmed,
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
                        now,
                    )
                )
        case_id = dict(Case.objects.values_list("person_id", "pk"))
        with cursor.cursor.copy(
            "COPY surveillance_exposure (source_id, contact_id, unit_id, unit_path, province_code, commune_code, kind, "
            "start, place, created_at) FROM STDIN"
        ) as copy:
            for source, contact, day, src in edges:
                copy.write_row(
                    (
                        source,
                        contact,
                        src[1],
                        src[2],
                        src[3],
                        src[4],
                        "household",
                        datetime(day.year, day.month, day.day, 9, tzinfo=timezone.get_current_timezone()),
                        "",
                        now,
                    )
                )
            for case, other in f1_rows:
                day = case[5]
                copy.write_row(
                    (
                        case[0],
                        other[0],
                        case[1],
                        case[2],
                        case[3],
                        case[4],
                        "close_unmasked",
                        datetime(day.year, day.month, day.day, 10, tzinfo=timezone.get_current_timezone()),
                        "",
                        now,
                    )
                )
            for case, f1, other in f2_rows:
                day = case[5] + timedelta(days=1)
                copy.write_row(
                    (
                        f1[0],
                        other[0],
                        f1[1],
                        f1[2],
                        f1[3],
                        f1[4],
                        "household",
                        datetime(day.year, day.month, day.day, 18, tzinfo=timezone.get_current_timezone()),
                        "",
                        now,
                    )
                )
        with cursor.cursor.copy(
            "COPY surveillance_contact (person_id, index_case_id, rank, via_id, first_exposure, last_exposure, "
            "definition_version, status, unit_id, unit_path, province_code, commune_code, updated_at) FROM STDIN"
        ) as copy:
            seen = set()
            for case, other in f1_rows:
                key = (other[0], case_id[case[0]])
                if key not in seen:
                    seen.add(key)
                    copy.write_row(
                        (
                            other[0],
                            key[1],
                            1,
                            None,
                            case[5],
                            case[5],
                            "bench",
                            "to_find",
                            other[1],
                            other[2],
                            other[3],
                            other[4],
                            now,
                        )
                    )
            for case, f1, other in f2_rows:
                key = (other[0], case_id[case[0]])
                if key not in seen:
                    seen.add(key)
                    copy.write_row(
                        (
                            other[0],
                            key[1],
                            2,
                            f1[0],
                            case[5],
                            case[5],
                            "bench",
                            "to_find",
                            other[1],
                            other[2],
                            other[3],
                            other[4],
                            now,
                        )
                    )
        cursor.execute("ANALYZE")
    say(
        f"    COPY of cases, exposures and contacts: {results['copy']:.0f} s; exposures {Exposure.objects.count():,}, "
        f"contacts {Contact.objects.count():,}"
    )
    return results


def bench_rebuild() -> None:
    import networkx

    from chongdich.surveillance.chains import components
    from chongdich.surveillance.rebuild import case_edges, rebuild_chains

    timings: dict = {}
    with timed("load", timings):
        nodes, edges, _facts = case_edges()
    with timed("unionfind", timings):
        ours = components(nodes, edges)
    with timed("networkx", timings):
        graph = networkx.Graph()
        graph.add_nodes_from(nodes)
        graph.add_edges_from(edges)
        theirs = list(networkx.connected_components(graph))
    assert len(set(ours.values())) == len(theirs)
    with timed("rebuild", timings):
        count = rebuild_chains()
    say(f"    recompute every chain: {len(nodes):,} cases, {len(edges):,} links → {count:,} chains")
    say(
        f"      full rebuild from the database (load, components, rewrite): {timings['rebuild']:.1f} s "
        f"(loading edges {timings['load']:.1f} s)"
    )
    say(
        f"      in memory: union-find {timings['unionfind'] * 1000:.0f} ms vs networkx connected_components "
        f"{timings['networkx'] * 1000:.0f} ms (graph build included) → ratio {timings['networkx'] / timings['unionfind']:.1f}× faster"
    )


def bench_queries(samples: int) -> None:
    from chongdich.surveillance import chains
    from chongdich.surveillance.models import Case, Contact

    rng = random.Random(3)
    ids = list(Case.objects.values_list("pk", flat=True))
    picks = [ids[rng.randrange(len(ids))] for _ in range(samples)]
    big = Case.objects.filter(chain__size__gte=1000).values_list("pk", flat=True)[:20]
    times = []
    for pk in [*picks, *big]:
        start = time.perf_counter()
        case = Case.objects.only("pk", "chain_id").get(pk=pk)
        root = chains.root(case.chain_id)
        contacts = list(
            Contact.objects.filter(index_case_id=pk, rank__lte=2)
            .select_related("person")
            .order_by("rank", "person__folded_name")[:500]
        )
        times.append(time.perf_counter() - start)
        assert root is not None and contacts is not None
    say(
        f"    a case's chain + its F1/F2 list: {summary_ms(times)}  target p95 < 50 ms: "
        f"{'MET' if percentile(times, 95) < 0.05 else 'NOT MET'}"
    )


def bench_merges(samples: int) -> None:
    from django.db import connection
    from django.db.models import F
    from django.utils import timezone

    from chongdich.accounts.models import Grant, User
    from chongdich.surveillance import chains
    from chongdich.surveillance.actions import do_record_exposure
    from chongdich.surveillance.models import Case
    from chongdich.territory.models import AdminUnit

    actor, _ = User.objects.get_or_create(username="bench.national", defaults={"is_superuser": True})
    Grant.objects.get_or_create(user=actor, role="national_admin", unit=AdminUnit.objects.get(code="70"))
    rng = random.Random(11)
    roots = list(Case.objects.filter(chain__parent__isnull=True).values_list("pk", flat=True)[:50_000])
    service, union_only = [], []
    for _ in range(samples):
        a, b = (Case.objects.select_related("person").get(pk=pk) for pk in rng.sample(roots, 2))
        if chains.root(a.chain_id).pk == chains.root(b.chain_id).pk:
            continue
        day = max(a.confirmed_on, b.confirmed_on)
        start = time.perf_counter()
        do_record_exposure(
            actor,
            source=a.person,
            contact=b.person,
            kind="household",
            start=timezone.make_aware(datetime(day.year, day.month, day.day, 8)),
        )
        service.append(time.perf_counter() - start)
    pairs = Case.objects.filter(chain__parent__isnull=True).values_list("chain_id", flat=True)[: 2 * samples]
    pairs = list(pairs)
    for i in range(0, len(pairs) - 1, 2):
        start = time.perf_counter()
        chains.union(pairs[i], pairs[i + 1])
        union_only.append(time.perf_counter() - start)
    say("    adding an exposure that merges two chains (service: validation, exposure, union, contacts, audit):")
    say(f"      {summary_ms(service)}  target p95 < 20 ms: {'MET' if percentile(service, 95) < 0.02 else 'NOT MET'}")
    say(f"    the union alone: {summary_ms(union_only)}")
    del connection, F


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--cases", type=int, default=200_000)
    parser.add_argument("--exposures", type=int, default=2_000_000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()
    setup_django()
    require_postgres()
    from django.core.management import call_command

    from chongdich.territory.loaders import load_units
    from chongdich.territory.models import AdminUnit

    call_command("migrate", verbosity=0)
    if not AdminUnit.objects.filter(code="70").exists():
        load_units("legacy")
    say(f"chains at {args.persons:,} persons, {args.cases:,} cases, {args.exposures:,} exposures")
    build(args.persons, args.cases, args.exposures)
    bench_rebuild()
    bench_queries(args.samples)
    bench_merges(args.samples)


if __name__ == "__main__":
    main()
