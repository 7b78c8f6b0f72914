"""Recompute every transmission chain from cases and exposures (``rebuild_chains``).

The incremental union-find in ``chains`` is the everyday path; this rebuild is the check and the
repair: it loads the case–case edges in two queries, finds connected components with a plain
union-find, and rewrites chains and case links in bulk.
"""

from __future__ import annotations

from collections import defaultdict

from django.db import connection, transaction

from chongdich.surveillance.chains import components
from chongdich.surveillance.models import Case, Chain, Outcome


def case_edges() -> tuple[list[int], list[tuple[int, int]], dict[int, tuple]]:
    """Cases (ids), edges between cases whose people met, and per-case facts for chain statistics."""
    facts: dict[int, tuple] = {}
    latest_case_of_person: dict[int, int] = {}
    for pk, person_id, confirmed, outcome, province in Case.objects.order_by("confirmed_on", "pk").values_list(
        "pk", "person_id", "confirmed_on", "outcome", "province_code"
    ):
        facts[pk] = (confirmed, outcome == Outcome.ACTIVE, province)
        latest_case_of_person[person_id] = pk
    edges = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT e.source_id, e.contact_id FROM surveillance_exposure e "
            "WHERE e.source_id IN (SELECT person_id FROM surveillance_case) "
            "AND e.contact_id IN (SELECT person_id FROM surveillance_case)"
        )
        for source, contact in cursor.fetchall():
            a, b = latest_case_of_person.get(source), latest_case_of_person.get(contact)
            if a and b and a != b:
                edges.append((a, b))
    return list(facts), edges, facts


@transaction.atomic
def rebuild_chains() -> int:
    """Rewrite all chains; returns the number of chains."""
    nodes, edges, facts = case_edges()
    representative = components(nodes, edges)
    members: dict[int, list[int]] = defaultdict(list)
    for case_id, rep in representative.items():
        members[rep].append(case_id)
    Case.objects.update(chain=None)
    Chain.clusters.through.objects.all().delete()
    Chain.objects.all().delete()
    roots = []
    for rep, cases in members.items():
        dates = [facts[c][0] for c in cases]
        roots.append(
            Chain(
                province_code=facts[rep][2],
                size=len(cases),
                active=sum(1 for c in cases if facts[c][1]),
                first_date=min(dates),
                last_date=max(dates),
            )
        )
    Chain.objects.bulk_create(roots, batch_size=5000)
    assignments = []
    for root, cases in zip(roots, members.values(), strict=True):
        assignments.extend((case_id, root.pk) for case_id in cases)
    _assign(assignments)
    clusters = set(Case.objects.exclude(cluster=None).values_list("chain_id", "cluster_id"))
    Chain.clusters.through.objects.bulk_create(
        [Chain.clusters.through(chain_id=chain, cluster_id=cluster) for chain, cluster in clusters], batch_size=5000
    )
    return len(roots)


def _assign(pairs: list[tuple[int, int]]) -> None:
    """case.chain_id = chain for many cases: one UPDATE … FROM (VALUES) per batch."""
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), 5000):
            batch = pairs[start : start + 5000]
            if connection.vendor == "postgresql":
                values = ",".join(["(%s, %s)"] * len(batch))
                cursor.execute(
                    f"UPDATE surveillance_case AS c SET chain_id = v.chain FROM (VALUES {values}) AS v(id, chain) "
                    "WHERE c.id = v.id",
                    [x for pair in batch for x in pair],
                )
            else:
                cursor.executemany(
                    "UPDATE surveillance_case SET chain_id = %s WHERE id = %s", [(b, a) for a, b in batch]
                )
