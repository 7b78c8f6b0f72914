"""Transmission chains as a persisted union-find over cases.

Every chain row points at its root (``parent`` null for a root, otherwise a root), so the depth is at
most one: a case's chain is one indexed lookup, and merging two chains re-parents the smaller root
and the few chains under it (union by size keeps that small).  The root carries the chain's size,
active count and first/last dates.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from chongdich.surveillance.models import Case, Chain, Outcome


def root(chain_id: int | None) -> Chain | None:
    """The root chain of ``chain_id`` in one query."""
    if chain_id is None:
        return None
    return Chain.objects.filter(Q(pk=chain_id, parent__isnull=True) | Q(absorbed__pk=chain_id)).first()


def cases_of(root_chain: Chain):
    """Every case of a chain (one query)."""
    return Case.objects.filter(Q(chain_id=root_chain.pk) | Q(chain__parent_id=root_chain.pk))


def start_chain(case: Case) -> Chain:
    chain = Chain.objects.create(
        province_code=case.province_code,
        size=1,
        active=1 if case.outcome == Outcome.ACTIVE else 0,
        first_date=case.confirmed_on,
        last_date=case.confirmed_on,
    )
    Case.objects.filter(pk=case.pk).update(chain=chain)
    case.chain = chain
    return chain


@transaction.atomic
def union(chain_a_id: int, chain_b_id: int) -> Chain:
    """Merge the chains of two cases; returns the surviving root."""
    root_ids = set(
        Chain.objects.filter(pk__in=[chain_a_id, chain_b_id]).values_list(Coalesce("parent_id", "id"), flat=True)
    )
    roots = list(Chain.objects.select_for_update().filter(pk__in=root_ids))
    if len(roots) < 2:
        return roots[0]
    big, small = sorted(roots, key=lambda c: (-c.size, c.pk))
    Chain.objects.filter(Q(pk=small.pk) | Q(parent_id=small.pk)).update(parent=big)
    big.size += small.size
    big.active += small.active
    big.first_date = _earliest(big.first_date, small.first_date)
    big.last_date = _latest(big.last_date, small.last_date)
    big.save(update_fields=["size", "active", "first_date", "last_date", "updated_at"])
    big.clusters.add(*small.clusters.all())
    return big


def _earliest(a, b):
    return min(d for d in (a, b) if d) if (a or b) else None


def _latest(a, b):
    return max(d for d in (a, b) if d) if (a or b) else None


def case_added(chain: Chain, case: Case) -> None:
    """A case joined an existing chain (its own singleton was merged in): dates follow."""
    Chain.objects.filter(pk=chain.pk).update(
        first_date=_earliest(chain.first_date, case.confirmed_on), last_date=_latest(chain.last_date, case.confirmed_on)
    )


def link_cases(case_a: Case, case_b: Case) -> Chain | None:
    if case_a.chain_id is None or case_b.chain_id is None:
        return None
    return union(case_a.chain_id, case_b.chain_id)


def case_closed(case: Case) -> None:
    """An active case recovered, died or left: one fewer active case in its chain."""
    chain = root(case.chain_id)
    if chain is not None:
        Chain.objects.filter(pk=chain.pk, active__gt=0).update(active=F("active") - 1)


def case_reopened(case: Case) -> None:
    chain = root(case.chain_id)
    if chain is not None:
        Chain.objects.filter(pk=chain.pk).update(active=F("active") + 1)


def components(nodes: list[int], edges) -> dict[int, int]:
    """Connected components by union-find over integer ids: node → representative (pure Python)."""
    parent = {n: n for n in nodes}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    size = dict.fromkeys(nodes, 1)
    for a, b in edges:
        if a not in parent or b not in parent:
            continue
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        if size[ra] < size[rb]:
            ra, rb = rb, ra
        parent[rb] = ra
        size[ra] += size[rb]
    return {n: find(n) for n in nodes}
