"""Partitions, retention purge and replay of the event tables (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from chongdich.core import partitioning
from chongdich.movement import ingest, retention
from chongdich.movement.models import CheckIn, Declaration, Venue
from chongdich.tallies.models import DailyTally
from chongdich.tallies.rebuild import differences, rebuild

pytestmark = pytest.mark.django_db
on_postgres = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="partitions are PostgreSQL's")


def local(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def venue(world):
    venue = Venue(code="CHO01", name="Chợ", kind="market")
    venue.place_in(world.commune)
    venue.save()
    return venue


def checkin(venue, at: datetime, client_id: str | None = None) -> CheckIn:
    return CheckIn(
        at=at,
        day=timezone.localtime(at).date(),
        received_at=at,
        client_id=client_id,
        venue=venue,
        phone="+84912345678",
        unit_id=venue.unit_id,
        unit_path=venue.unit_path,
        province_code=venue.province_code,
        commune_code=venue.commune_code,
    )


def partition_of(table: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT tableoid::regclass::text FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


@on_postgres
def test_partitions_exist_and_rows_land_in_their_month(venue):
    for model in retention.EVENT_MODELS:
        parts = partitioning.partitions(model._meta.db_table)
        months = {p.month for p in parts}
        assert date(2021, 8, 1) in months and None in months  # a month, and the default partition
        assert max(m for m in months if m) >= partitioning.month_start(timezone.localdate())
    # The month boundary is local midnight: 23:59 on 31/7 is July, 00:00 on 1/8 is August.
    [july] = ingest.save_events(CheckIn, [checkin(venue, local(date(2021, 7, 31), 23, 59))])
    [august] = ingest.save_events(CheckIn, [checkin(venue, local(date(2021, 8, 1), 0, 0))])
    assert partition_of("movement_checkin", july.record.pk) == "movement_checkin_p202107"
    assert partition_of("movement_checkin", august.record.pk) == "movement_checkin_p202108"


@on_postgres
def test_a_missing_month_is_created_with_the_rows_of_the_default_partition(venue):
    beyond = partitioning.next_month(partitioning.horizon())
    [row] = ingest.save_events(CheckIn, [checkin(venue, local(beyond + timedelta(days=3)))])
    assert partition_of("movement_checkin", row.record.pk) == "movement_checkin_default"
    created = partitioning.ensure_months("movement_checkin", beyond, beyond)
    assert created == [partitioning.partition_name("movement_checkin", beyond)]
    assert partition_of("movement_checkin", row.record.pk) == created[0]
    assert partitioning.ensure_months("movement_checkin", beyond, beyond) == []


def test_replay_across_months(venue):
    """A device re-sends an event with its clock moved past midnight of the month's end: found."""
    [first] = ingest.save_events(CheckIn, [checkin(venue, local(date(2021, 7, 31), 23, 58), "dev-1")])
    [again] = ingest.save_events(CheckIn, [checkin(venue, local(date(2021, 8, 1), 0, 2), "dev-1")])
    assert again.replayed and again.record.pk == first.record.pk
    batch = ingest.save_events(
        CheckIn,
        [
            checkin(venue, local(date(2021, 7, 30)), "dev-2"),
            checkin(venue, local(date(2021, 8, 2)), "dev-3"),
            checkin(venue, local(date(2021, 8, 2)), "dev-1"),
            checkin(venue, local(date(2021, 8, 3)), "dev-2"),
        ],
    )
    assert [s.replayed for s in batch] == [False, False, True, True]
    assert batch[3].record is batch[0].record
    assert CheckIn.objects.count() == 3


def test_purge_drops_whole_months_and_deletes_the_rest_keeping_tallies(venue, world):
    today = date(2021, 9, 10)  # retention 30 days: the first day kept is 11/08/2021
    days = [date(2021, 6, 15), date(2021, 7, 31), date(2021, 8, 1), date(2021, 8, 10), date(2021, 8, 11), today]
    for index, day in enumerate(days):
        ingest.save_events(CheckIn, [checkin(venue, local(day, 23, 30), f"c{index}")])
    before = {t.day: t.checkins for t in DailyTally.objects.filter(unit=world.commune)}
    assert retention.cutoff(today) == date(2021, 8, 11)
    dry = {p.table: p for p in retention.purge(today, dry_run=True)}
    assert dry["movement_checkin"].deleted == 4 and CheckIn.objects.count() == 6
    purged = {p.table: p for p in retention.purge(today, batch=1)}
    kept = sorted(CheckIn.objects.values_list("day", flat=True))
    assert kept == [date(2021, 8, 11), today]
    if connection.vendor == "postgresql":
        dropped = purged["movement_checkin"].dropped
        assert "movement_checkin_p202107" in dropped and "movement_checkin_p202106" in dropped
        assert "movement_checkin_p202108" not in dropped
        assert purged["movement_checkin"].deleted == 2  # 1/8 and 10/8, in the month the cutoff falls in
        months = {p.month for p in partitioning.partitions("movement_checkin")}
        assert date(2021, 7, 1) not in months and date(2021, 8, 1) in months
    else:
        assert purged["movement_checkin"].deleted == 4
    # The tallies keep the purged days' counts.
    assert {t.day: t.checkins for t in DailyTally.objects.filter(unit=world.commune)} == before
    fields, first_day = retention.tallies_floor(today)
    assert "checkins" in fields and first_day == date(2021, 8, 11)
    # A check and a rebuild of the tallies keep them too: the rows are gone, the counts stay.
    with override_settings(CHONGDICH_TODAY=today.isoformat()):
        assert differences() == {}
        rebuild()
        assert {t.day: t.checkins for t in DailyTally.objects.filter(unit=world.commune)} == before


def test_purge_covers_declarations(world, settings):
    settings.CHONGDICH_MOVEMENT_RETENTION_DAYS = 10
    today = date(2021, 9, 10)
    for index, day in enumerate([date(2021, 8, 20), date(2021, 8, 31), date(2021, 9, 1)]):
        row = Declaration(
            received_at=local(day),
            day=day,
            client_id=f"d{index}",
            receipt=f"R{index}",
            full_name="A",
            birth_year=1980,
            sex="male",
            phone="+84912345678",
        )
        row.place_in(world.commune)
        ingest.save_events(Declaration, [row])
    retention.purge(today)  # the first day kept is 31/08
    assert sorted(Declaration.objects.values_list("client_id", flat=True)) == ["d1", "d2"]


def test_commands(venue, capsys):
    call_command("movement_partitions")
    call_command("purge_movement", "--dry-run")
    call_command("purge_movement")
    out = capsys.readouterr().out
    assert "movement_checkin" in out and "retention 30 days" in out


def _concurrently(count: int, work) -> list:
    import threading

    from django.db import connection as thread_connection

    barrier, results, errors = threading.Barrier(count), [None] * count, []

    def run(index):
        try:
            barrier.wait()
            results[index] = work(index)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return results


@on_postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("batch_max", [1, 500])
def test_concurrent_senders_of_one_client_id_make_one_row(venue, world, settings, batch_max):
    """Under the advisory locks, alone or group-committed: one row per client id, every sender gets it."""
    settings.CHONGDICH_INGEST_BATCH_MAX = batch_max
    at = local(date(2021, 8, 5))
    results = _concurrently(24, lambda i: ingest.save_events(CheckIn, [checkin(venue, at, f"same-{i % 4}")])[0])
    assert CheckIn.objects.count() == 4
    for key in range(4):
        mine = [r for i, r in enumerate(results) if i % 4 == key]
        assert len({r.record.pk for r in mine}) == 1
        assert sum(not r.replayed for r in mine) == 1
    assert DailyTally.objects.get(unit=world.commune, day=date(2021, 8, 5)).checkins == 4
    if batch_max > 1:
        assert ingest.WRITER.calls >= 24
