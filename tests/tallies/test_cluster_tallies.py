"""Cluster tallies: the risk engine's clusters come from tallies kept with the cluster and case writes.

Hypothesis drives random sequences of cluster and case operations (open a cluster in a commune,
change its setting, source, dates or commune, confirm cases in it, move a case to another cluster or
none, correct a confirmation date) and checks after each sequence that

- the stored tallies equal a rebuild from the records (``differences() == {}``), and
- the clusters the risk inputs read from tallies, every day, are exactly what the former query over
  the case rows gave (``reference_clusters`` below: the code ``risk/inputs.py`` ran before), so the
  assessments' inputs are unchanged.

``rebuild_tallies`` itself (not only ``--check``) is run on scrambled tallies of a world with cases,
clusters, beds and a quarantine order, and restores the tallies kept incrementally.
"""

from collections import defaultdict
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count, Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chongdich.care.actions import do_create_facility, do_order_home_quarantine
from chongdich.risk.inputs import _clusters, gather
from chongdich.risk.rules import Cluster
from chongdich.surveillance.actions import do_confirm_case, do_create_cluster, do_update_case, do_update_cluster
from chongdich.surveillance.models import Case
from chongdich.surveillance.models import Cluster as ClusterRecord
from chongdich.tallies.engine import ClusterKey
from chongdich.tallies.models import ClusterTally, DailyTally
from chongdich.tallies.rebuild import differences, stored_tallies

DAY0 = date(2021, 7, 1)
CHECKED_DAYS = [DAY0 + timedelta(days=n) for n in range(-1, 45, 2)]
SETTINGS = ["market", "school", "household", "other"]
PEOPLE = 6


def reference_clusters(day: date) -> dict[str, list[tuple[Cluster, int]]]:
    """What ``risk/inputs.py`` computed from the case rows before the cluster tallies."""
    start = day - timedelta(days=13)
    open_on_day = ClusterRecord.objects.filter(opened_on__lte=day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=day)
    )
    rows = (
        open_on_day.exclude(commune_code="")
        .annotate(
            total=Count("cases", filter=Q(cases__confirmed_on__lte=day)),
            recent=Count("cases", filter=Q(cases__confirmed_on__gte=start, cases__confirmed_on__lte=day)),
        )
        .filter(recent__gt=0)
        .values_list("pk", "commune_code", "source_known", "setting", "total")
        .order_by("pk")
    )
    found: dict[str, list[tuple[Cluster, int]]] = defaultdict(list)
    for pk, commune, known, setting, total in rows:
        found[commune].append((Cluster(bool(known), setting or "other", int(total)), pk))
    return found


cluster_index = st.integers(0, 2)
person = st.integers(0, PEOPLE - 1)
operation = st.one_of(
    st.tuples(st.just("open"), st.booleans(), st.sampled_from(SETTINGS), st.booleans(), st.integers(0, 20)),
    st.tuples(st.just("setting"), cluster_index, st.sampled_from(SETTINGS), st.booleans()),
    st.tuples(st.just("close"), cluster_index, st.integers(0, 30)),
    st.tuples(st.just("reopen"), cluster_index),
    st.tuples(st.just("redate_cluster"), cluster_index, st.integers(-5, 5)),
    st.tuples(st.just("move_cluster"), cluster_index, st.booleans()),
    st.tuples(st.just("confirm"), person, cluster_index, st.integers(0, 40)),
    st.tuples(st.just("confirm"), person, cluster_index, st.integers(0, 40)),
    st.tuples(st.just("recluster"), person, st.one_of(st.none(), cluster_index)),
    st.tuples(st.just("redate_case"), person, st.integers(-3, 3)),
)


def apply(actor, world, people, op):
    kind = op[0]
    clusters = list(ClusterRecord.objects.order_by("pk"))
    chosen = clusters[op[1] % len(clusters)] if clusters and kind in CLUSTER_OPS else None
    if kind == "open":
        _, here, setting, known, days = op
        do_create_cluster(
            actor,
            unit=world.commune if here else world.other_commune,
            name=f"Ổ dịch {len(clusters)}",
            setting=setting,
            source_known=known,
            opened_on=DAY0 + timedelta(days=days),
        )
    elif kind == "setting" and chosen:
        do_update_cluster(actor, chosen, setting=op[2], source_known=op[3])
    elif kind == "close" and chosen:
        do_update_cluster(actor, chosen, closed_on=chosen.opened_on + timedelta(days=op[2]))
    elif kind == "reopen" and chosen:
        do_update_cluster(actor, chosen, closed_on=None)
    elif kind == "redate_cluster" and chosen:
        do_update_cluster(actor, chosen, opened_on=chosen.opened_on + timedelta(days=op[2]))
    elif kind == "move_cluster" and chosen:
        do_update_cluster(actor, chosen, unit=world.commune if op[2] else world.other_commune)
    elif kind == "confirm":
        cluster = clusters[op[2] % len(clusters)] if clusters else None
        do_confirm_case(
            actor, people[op[1]], confirmed_on=DAY0 + timedelta(days=op[3]), detected_in="community", cluster=cluster
        )
    elif kind in ("recluster", "redate_case"):
        case = Case.objects.filter(person=people[op[1]]).order_by("-pk").first()
        if case is None:
            return
        if kind == "recluster":
            do_update_case(
                actor, case, cluster=None if op[2] is None or not clusters else clusters[op[2] % len(clusters)]
            )
        else:
            do_update_case(actor, case, confirmed_on=case.confirmed_on + timedelta(days=op[2]))


CLUSTER_OPS = {"setting", "close", "reopen", "redate_cluster", "move_cluster"}


def run(actor, world, people, op):
    try:
        with transaction.atomic():
            apply(actor, world, people, op)
    except (ValidationError, PermissionDenied):
        pass


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=20))
def test_cluster_tallies_equal_a_rebuild_and_the_case_rows(world, personas, make_person, operations):
    with transaction.atomic():
        people = [
            make_person(full_name=f"Người {i}", cccd=None, unit=world.village if i % 2 else world.other_village)
            for i in range(PEOPLE)
        ]
        actor = personas["district"]
        for op in operations:
            run(actor, world, people, op)
        assert differences() == {}
        for day in CHECKED_DAYS:
            assert _clusters(day) == reference_clusters(day), day
        transaction.set_rollback(True)


@pytest.fixture
def clustered(world, personas, make_person):
    """Two clusters in Đức Hạnh and Phú Văn with cases, one of them closed later, one moved."""
    actor = personas["district"]
    market, _ = do_create_cluster(actor, unit=world.commune, name="Chợ", setting="market", opened_on=DAY0)
    school, _ = do_create_cluster(
        actor, unit=world.other_commune, name="Trường", setting="school", source_known=True, opened_on=DAY0
    )
    for index, (cluster, days) in enumerate(((market, (0, 1, 5)), (school, (2, 3)))):
        for offset in days:
            person = make_person(full_name=f"Ca {index}-{offset}", cccd=None, unit=world.village)
            do_confirm_case(
                actor, person, confirmed_on=DAY0 + timedelta(days=offset), detected_in="community", cluster=cluster
            )
    do_update_cluster(actor, school, closed_on=DAY0 + timedelta(days=4), setting="household")
    return world


def test_assessment_inputs_read_clusters_from_tallies_unchanged(clustered):
    for day in CHECKED_DAYS:
        expected = reference_clusters(day)
        gathered = gather(day)
        by_code = {unit.code: unit for unit in gathered.units}
        for code in (clustered.commune.code, clustered.other_commune.code):
            assert by_code[code].clusters == tuple(cluster for cluster, _ in expected.get(code, ()))
            assert gathered.extra.get(code, {}).get("cluster_ids") == (
                [pk for _, pk in expected[code]] if expected.get(code) else None
            )
    assert reference_clusters(DAY0 + timedelta(days=5))[clustered.commune.code][0][0] == Cluster(False, "market", 3)


def test_rebuild_tallies_restores_scrambled_tallies(clustered, tally, personas, make_person):
    """The recovery command itself (not only ``--check``): cases, clusters, beds and a quarantine."""
    actor = personas["district"]
    do_create_facility(
        actor,
        unit=clustered.district,
        capacity={"treatment": 4, "quarantine": 2},
        data={"name": "Bệnh viện dã chiến", "kind": "field_hospital", "opened_on": DAY0 - timedelta(days=10)},
    )
    f1 = make_person(full_name="F1 tại nhà", cccd=None, unit=clustered.village)
    do_order_home_quarantine(actor, f1, last_exposure=DAY0, override_reason="Tại nhà")
    incremental = stored_tallies()
    assert {key[2] for key in incremental if not isinstance(key, ClusterKey)} >= {
        "cases_new_community",
        "treatment_capacity",
        "f1_home_quarantine",
    }
    assert any(isinstance(key, ClusterKey) for key in incremental)  # cluster tallies among them
    ClusterTally.objects.filter(cases__gt=0).delete()
    ClusterTally.objects.update(opened=7)
    DailyTally.objects.filter(pk=DailyTally.objects.order_by("pk").values("pk")[:1]).delete()
    tally(clustered.commune, DAY0, cases_new_community=5, f1_home_quarantine=-2)
    out = StringIO()
    call_command("rebuild_tallies", "--check", stdout=out)
    assert "differences" in out.getvalue() and "cluster " in out.getvalue()

    call_command("rebuild_tallies", stdout=StringIO())

    assert stored_tallies() == incremental
    out = StringIO()
    call_command("rebuild_tallies", "--check", stdout=out)
    assert "tallies agree" in out.getvalue()
