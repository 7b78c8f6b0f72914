"""The facility treating a case moved from surveillance (``Case.facility``, ``TreatmentEpisode.facility``)
to care (``CaseFacility``, ``EpisodeFacility``): migrating back copies the links into the old columns,
migrating forward again copies them back into care — nothing is lost either way."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from chongdich.care.models import CaseFacility, EpisodeFacility
from chongdich.surveillance.actions import do_confirm_case, do_move_case
from chongdich.surveillance.models import TreatmentPlace

BEFORE = [("surveillance", "0004_recorded_bookkeeping"), ("care", "0005_recorded_bookkeeping")]


def _links():
    return (
        sorted(CaseFacility.objects.values_list("case_id", "facility_id")),
        sorted(EpisodeFacility.objects.values_list("episode_id", "facility_id")),
    )


def test_the_facility_links_survive_the_migration_both_ways(transactional_db, personas, field_hospital, make_person):
    actor = personas["district"]
    case, _ = do_confirm_case(
        actor,
        make_person(full_name="Bệnh Nhân Một"),
        confirmed_on=date(2022, 3, 2),
        treatment_place=TreatmentPlace.FIELD_HOSPITAL,
        facility=field_hospital,
    )
    do_move_case(actor, case, place=TreatmentPlace.HOME, on=date(2022, 3, 5))
    do_move_case(actor, case, place=TreatmentPlace.FIELD_HOSPITAL, facility=field_hospital, on=date(2022, 3, 7))
    home, _ = do_confirm_case(actor, make_person(full_name="Bệnh Nhân Hai"), confirmed_on=date(2022, 3, 3))
    links = _links()
    assert links[0] == [(case.pk, field_hospital.pk)] and len(links[1]) == 2

    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    assert dict(old.get_model("surveillance", "Case").objects.values_list("pk", "facility_id")) == {
        case.pk: field_hospital.pk,
        home.pk: None,
    }
    episodes = old.get_model("surveillance", "TreatmentEpisode").objects.filter(facility__isnull=False)
    assert sorted(episodes.values_list("pk", "facility_id")) == links[1]

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert _links() == links
