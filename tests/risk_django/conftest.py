"""Fixtures for the risk module's Django side: tallies, clusters, adjacency on the shared world."""

from __future__ import annotations

from datetime import date

import pytest

DAY = date(2021, 8, 20)  # QĐ 2686 in force; the demo's pinned "today"


@pytest.fixture(autouse=True)
def pinned_today(settings):
    settings.CHONGDICH_TODAY = f"{DAY.isoformat()}T14:00"  # the hour pinned too: results never depend on when tests run
    return DAY


@pytest.fixture
def adjacent(world):
    from chongdich.territory.models import Adjacency

    def link(a, b):
        Adjacency.objects.get_or_create(unit=a, neighbour=b)
        Adjacency.objects.get_or_create(unit=b, neighbour=a)

    return link


@pytest.fixture
def neighbourhood(world, adjacent):
    """Đức Hạnh – Phú Văn – Bù Gia Mập in a row; Quận 1's district and Phường Tân Định alone."""
    adjacent(world.commune, world.other_commune)
    adjacent(world.other_commune, world.border_commune)
    return world


@pytest.fixture
def cluster_with_cases(world, make_person):
    """cluster_with_cases(commune, setting, source_known, [days]) → Cluster with one case per day."""
    from chongdich.surveillance.models import Case, Cluster
    from tests.helpers import add_cluster_tallies

    counter = iter(range(1, 10_000))

    def make(unit, setting="market", source_known=True, days=(DAY, DAY), opened_on=None, closed_on=None):
        cluster = Cluster(
            name=f"Ổ dịch {setting}",
            setting=setting,
            source_known=source_known,
            opened_on=opened_on or min(days),
            closed_on=closed_on,
        )
        cluster.place_in(unit)
        cluster.save()
        village = unit.children.first() or unit
        add_cluster_tallies(cluster)
        for day in days:
            person = make_person(unit=village, full_name="Lê Văn Ca")
            case = Case(
                person=person,
                case_number=f"BN-{next(counter)}",
                confirmed_on=day,
                cluster=cluster,
                source_known=source_known,
            )
            case.place_in(village)
            case.save()
            add_cluster_tallies(case)
        return cluster

    return make


@pytest.fixture
def outbreak(world, neighbourhood, tally, cluster_with_cases):
    """Phú Văn: a market cluster (→ red under 2686); Đức Hạnh: a case of unknown source (→ orange);
    Bù Gia Mập borders Phú Văn (→ orange).  Phường Tân Định has no adjacency (→ no level)."""
    from datetime import timedelta

    tally(world.commune, DAY - timedelta(days=2), cases_new_community=1, cases_new_community_unknown_source=1)
    cluster_with_cases(world.other_commune, "market", True, days=(DAY - timedelta(days=1), DAY))
    return world
