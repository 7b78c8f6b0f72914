"""``rebuild_chains`` (the recovery command) run for real: after the chain rows are scrambled and deleted,
the command rebuilds exactly the chains that incremental maintenance had produced — the same groups of
cases, sizes, active counts, first and last dates, provinces and linked clusters."""

from __future__ import annotations

import io
from datetime import date, datetime

from django.core.management import call_command
from django.utils import timezone

from chongdich.surveillance import chains
from chongdich.surveillance.actions import (
    do_close_case,
    do_confirm_case,
    do_create_cluster,
    do_record_exposure,
)
from chongdich.surveillance.models import Case, Chain, Outcome


def at(day: date):
    return timezone.make_aware(datetime(day.year, day.month, day.day, 9))


def chain_picture() -> set:
    """Each chain as (its cases, size, active, first date, last date, province, clusters), ids of rows aside."""
    picture = set()
    by_root: dict[int, list[int]] = {}
    for case in Case.objects.all():
        by_root.setdefault(chains.root(case.chain_id).pk, []).append(case.pk)
    for root_id, cases in by_root.items():
        root = Chain.objects.get(pk=root_id)
        clusters = frozenset(root.clusters.values_list("pk", flat=True))
        facts = (root.size, root.active, root.first_date, root.last_date, root.province_code, clusters)
        picture.add((frozenset(cases), *facts))
    return picture


def test_rebuild_chains_restores_what_incremental_maintenance_built(world, personas, make_person):
    actor = personas["health"]
    people = [make_person(full_name=f"Người Chuỗi {i}", cccd=None, birth_year=1970 + i) for i in range(7)]
    market, _ = do_create_cluster(actor, unit=world.commune, name="Chợ Đức Hạnh", opened_on=date(2022, 3, 1))
    first, _ = do_confirm_case(actor, people[0], confirmed_on=date(2022, 3, 2), cluster=market)
    # people[1] met the first case, then became a case: the same chain
    do_record_exposure(actor, source=people[0], contact=people[1], kind="household", start=at(date(2022, 3, 1)))
    do_confirm_case(actor, people[1], confirmed_on=date(2022, 3, 4))
    # a second chain of two, joined to the first later by an exposure between two cases
    third, _ = do_confirm_case(actor, people[2], confirmed_on=date(2022, 3, 3))
    do_record_exposure(actor, source=people[2], contact=people[3], kind="household", start=at(date(2022, 3, 2)))
    do_confirm_case(actor, people[3], confirmed_on=date(2022, 3, 6))
    do_record_exposure(actor, source=people[1], contact=people[3], kind="household", start=at(date(2022, 3, 3)))
    # a separate chain of two, one of them recovered
    fifth, _ = do_confirm_case(actor, people[4], confirmed_on=date(2022, 3, 5))
    do_record_exposure(actor, source=people[4], contact=people[5], kind="household", start=at(date(2022, 3, 4)))
    do_confirm_case(actor, people[5], confirmed_on=date(2022, 3, 8))
    do_close_case(actor, fifth, outcome=Outcome.RECOVERED, on=date(2022, 3, 15))
    # a lone case
    do_confirm_case(actor, people[6], confirmed_on=date(2022, 3, 9))

    built = chain_picture()
    assert sorted(len(group[0]) for group in built) == [1, 2, 4]
    assert any(market.pk in group[-1] for group in built)

    # scramble: every case in one wrong chain, then the chain rows and cluster links gone
    wrong = Chain.objects.create(
        province_code="70", size=99, active=99, first_date=date(2022, 1, 1), last_date=date(2022, 1, 1)
    )
    Case.objects.update(chain=wrong)
    Chain.clusters.through.objects.all().delete()
    Chain.objects.exclude(pk=wrong.pk).delete()

    out = io.StringIO()
    call_command("rebuild_chains", stdout=out)
    assert "3 chains" in out.getvalue()

    assert chain_picture() == built
    assert Chain.objects.count() == 3 and not Chain.objects.filter(parent__isnull=False).exists()
    assert Case.objects.get(pk=first.pk).chain_id == Case.objects.get(pk=third.pk).chain_id
