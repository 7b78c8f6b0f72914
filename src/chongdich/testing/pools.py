"""Pooled RT-PCR: one tube for up to N people; a positive pool opens an individual re-test per member."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from simple_history.utils import bulk_create_with_history

from chongdich.tallies import engine
from chongdich.testing.codes import retest_code
from chongdich.testing.models import PoolMember, Sample, SampleKind, SampleStatus

DEFAULT_POOL_LIMIT = 10  # Ministry of Health guidance: pools of up to 10 people
POOL_LIMIT_CEILING = 20  # no pool size above this may be configured


def open_retests(pools: Iterable[Sample], actor) -> list[Sample]:
    """Create the pending individual re-tests of positive pools, in a few queries whatever their number.

    A member's re-test belongs to the member's area (the commune where they live counts it) and is
    dated the day the pool result came back, when the members are called back for sampling.  Re-tests
    that already exist are not created again, so this is safe to repeat.  Tallies are updated here.
    """
    pools = [p for p in pools if p.kind == SampleKind.POOLED_RT_PCR and p.status == SampleStatus.POSITIVE]
    if not pools:
        return []
    members: dict[int, list[PoolMember]] = defaultdict(list)
    for member in PoolMember.objects.filter(pool__in=pools).select_related("person__unit").order_by("pool_id", "pk"):
        members[member.pool_id].append(member)
    wanted: dict[str, Sample] = {}
    for pool in pools:
        for index, member in enumerate(members[pool.pk], start=1):
            retest = Sample(
                code=retest_code(pool.code, index),
                kind=SampleKind.RT_PCR,
                person=member.person,
                reason=pool.reason,
                taken_on=pool.result_on,
                lab=pool.lab,
                campaign=pool.campaign,
                pool=pool,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
            retest.place_in(member.person.unit)
            wanted[retest.code] = retest
    existing = set(Sample.objects.filter(code__in=list(wanted)).values_list("code", flat=True))
    new = [sample for code, sample in wanted.items() if code not in existing]
    if not new:
        return []
    user = actor if getattr(actor, "is_authenticated", False) else None
    created = bulk_create_with_history(new, Sample, batch_size=1000, default_user=user)
    engine.apply(engine.contributions_of(created))
    return created
