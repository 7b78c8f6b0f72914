"""The nightly forecast run: Rt and projections for every commune and its roll-ups, scores of earlier
projections, re-runs that replace, progress, a stuck run recovered, and runs started by hand."""

from __future__ import annotations

import subprocess
from datetime import date, timedelta

import numpy as np
import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import override

from chongdich.core import recovery
from chongdich.core.models import AuditEvent
from chongdich.forecast import nightly
from chongdich.forecast.actions import do_start_run
from chongdich.forecast.models import Estimate, ForecastSetting, Method, Projection, Run, RunStatus, Score
from chongdich.forecast.nightly import fail_stale_runs, run_forecast
from chongdich.forecast.series import incidence
from chongdich.forecast.tasks import NIGHTLY_AT, forecast_night, forecast_run, next_run, schedule_next
from chongdich.territory.models import AdminUnit, Level

DAY = date(2021, 8, 1)
UNITS = 8  # the world's 4 communes, 2 districts, 2 provinces


@pytest.fixture
def epidemic(world, tally):
    """Đức Hạnh: a growing outbreak (about 20 cases a day, some found in quarantine), Phú Văn: a case
    every few days, Bù Gia Mập: none; tallies kept on a village count in its commune."""
    for back in range(60):
        day = DAY - timedelta(days=back)
        tally(world.commune, day, cases_new_community=15 + (60 - back) // 6, cases_new_isolated=2)
        if back % 4 == 0:
            tally(world.other_commune, day, cases_new_community=1)
        if back % 10 == 0:
            tally(world.village, day, cases_new_community=1)
        if back % 3 == 0:
            tally(world.far_commune, day, cases_new_community=3)
    tally(world.commune, DAY - timedelta(days=90), active_home=120, treatment_occupied=30, quarantine_occupied=50)
    tally(world.commune, DAY - timedelta(days=5), active_home=-20, icu_occupied=4)
    return world


def test_incidence_reads_communes_and_rolls_them_up(epidemic):
    world = epidemic
    series = incidence(DAY, days=120)
    row = series.row_of()
    assert len(series) == UNITS
    assert series.local.shape == (UNITS, 120) and series.start == DAY - timedelta(days=119)
    commune, other, border = (row[u.pk] for u in (world.commune, world.other_commune, world.border_commune))
    district, province = row[world.district.pk], row[world.province.pk]
    assert series.local[commune, -1] == 15 + 10 + 1  # the village's case counts in its commune
    assert series.imported[commune, -1] == 2
    assert not series.local[border].any()
    np.testing.assert_array_equal(series.local[district], series.local[[commune, other, border]].sum(axis=0))
    np.testing.assert_array_equal(series.imported[province], series.imported[district])
    assert series.active[commune] == 100 and series.active[district] == 100 and series.active[province] == 100
    assert series.occupied["treatment"][commune] == 30 and series.occupied["icu"][province] == 4
    assert series.tiers[commune] == Level.COMMUNE and series.tiers[province] == Level.PROVINCE
    assert series.local[row[world.far_commune.pk]].sum() == series.local[row[world.far_province.pk]].sum() > 0


def test_run_stores_rt_and_projections_for_every_unit(epidemic):
    world = epidemic
    run = run_forecast(DAY)
    assert run.status == RunStatus.DONE and run.step == "done" and run.done == run.total == UNITS
    assert run.figures["rows"]["estimates"] == UNITS and run.figures["rows"]["projections"] == 2 * UNITS
    assert set(run.figures["timings"]) >= {"read", "compute", "score", "write"}
    assert Estimate.objects.filter(day=DAY).count() == UNITS
    assert Projection.objects.filter(as_of=DAY, method=Method.RENEWAL).count() == UNITS
    assert Projection.objects.filter(as_of=DAY, method=Method.NAIVE).count() == UNITS

    estimates = {e.unit_id: e for e in Estimate.objects.filter(day=DAY)}
    commune, district = estimates[world.commune.pk], estimates[world.district.pk]
    assert commune.tier == "commune" and district.tier == "district" and estimates[world.province.pk].tier == "province"
    assert commune.reliable and commune.rt_lo < commune.rt_mean < commune.rt_hi and 0 <= commune.p_below_1 <= 1
    assert commune.unit_path == world.commune.path and commune.province_code == "70"
    communes = [estimates[u.pk] for u in (world.commune, world.other_commune, world.border_commune)]
    assert district.cases_7d == sum(e.cases_7d for e in communes)
    assert district.cases_prev_7d == sum(e.cases_prev_7d for e in communes)
    assert commune.growth_wow == pytest.approx(commune.cases_7d / commune.cases_prev_7d - 1, abs=1e-4)
    assert commune.active == 100 and district.active == 100

    projection = Projection.objects.get(unit=world.commune, as_of=DAY, method=Method.RENEWAL)
    assert projection.horizon == 28 and set(projection.quantiles) == {"q05", "q25", "q50", "q75", "q95"}
    q05, q50, q95 = (np.array(projection.quantiles[k]) for k in ("q05", "q50", "q95"))
    assert len(q50) == 28 and (q05 <= q50).all() and (q50 <= q95).all() and q50[0] > 5
    assert set(projection.demand) == {"treatment", "oxygen", "icu", "quarantine", "tests", "active"}
    for kind, paths in projection.demand.items():
        assert set(paths) == {"q50", "q95"} and len(paths["q50"]) == 28, kind
        assert (np.array(paths["q50"]) <= np.array(paths["q95"]) + 1e-6).all(), kind
    assert projection.demand["tests"]["q50"][0] > projection.quantiles["q50"][0]  # several tests per case
    assert projection.demand["active"]["q50"][0] > 0


def test_units_with_few_cases_are_not_reliable(epidemic):
    world = epidemic
    run_forecast(DAY)
    other = Estimate.objects.get(unit=world.other_commune, day=DAY)
    border = Estimate.objects.get(unit=world.border_commune, day=DAY)
    assert not other.reliable and other.cases_window < 12
    assert not border.reliable and border.cases_window == 0 and border.cases_7d == 0
    assert border.growth_wow is None and border.growth_rate is None and border.doubling_days is None
    quiet = Projection.objects.get(unit=world.border_commune, as_of=DAY, method=Method.NAIVE)
    assert max(quiet.quantiles["q95"]) == 0  # no cases, no noise


def test_rerun_replaces_the_day(epidemic, tally):
    world = epidemic
    run_forecast(DAY)
    first = Estimate.objects.get(unit=world.district, day=DAY).cases_7d
    tally(world.other_commune, DAY, cases_new_community=5)
    run_forecast(DAY)
    assert Estimate.objects.filter(day=DAY).count() == UNITS
    assert Projection.objects.filter(as_of=DAY).count() == 2 * UNITS
    assert Estimate.objects.get(unit=world.district, day=DAY).cases_7d == first + 5
    assert Run.objects.filter(day=DAY, status=RunStatus.DONE).count() == 2


def test_projections_made_7_and_14_days_before_are_scored(epidemic):
    world = epidemic
    for back in (14, 7, 0):
        run_forecast(DAY - timedelta(days=back))
    scores = Score.objects.filter(target_day=DAY)
    assert scores.count() == UNITS * 2 * 2  # leads 7 and 14, both methods
    score = scores.get(unit=world.commune, lead=7, method=Method.RENEWAL)
    made = Projection.objects.get(unit=world.commune, as_of=DAY - timedelta(days=7), method=Method.RENEWAL)
    assert score.made_on == DAY - timedelta(days=7)
    assert score.median == made.quantiles["q50"][6]
    assert score.observed == 15 + 10 + 1 + 2  # every new case of the day
    assert score.abs_error == pytest.approx(abs(score.observed - score.median))
    assert score.in_90 == (made.quantiles["q05"][6] <= score.observed <= made.quantiles["q95"][6])
    assert score.wis >= 0
    run_forecast(DAY)  # a re-run scores again, without duplicates
    assert Score.objects.filter(target_day=DAY).count() == UNITS * 4


def test_a_province_setting_changes_its_units_only(epidemic):
    world = epidemic
    ForecastSetting.objects.create(unit=world.province, overrides={"window": 14})
    run = run_forecast(DAY)
    assert Estimate.objects.get(unit=world.commune, day=DAY).window == 14
    assert Estimate.objects.get(unit=world.far_commune, day=DAY).window == 7
    assert not run.figures["config_errors"]


def test_a_setting_the_rules_refuse_falls_back_to_the_defaults(epidemic):
    world = epidemic
    ForecastSetting.objects.create(unit=world.province, overrides={"no_such_setting": 1})
    run = run_forecast(DAY)
    assert run.status == RunStatus.DONE and "70" in run.figures["config_errors"]
    assert Estimate.objects.get(unit=world.commune, day=DAY).window == 7


def test_a_crash_keeps_the_previous_rows_and_fails_the_run(epidemic, monkeypatch):
    world = epidemic
    run_forecast(DAY)
    before = Estimate.objects.get(unit=world.commune, day=DAY).pk

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(nightly.store, "replace", _replace_then(nightly.store.replace, Projection, broken))
    with pytest.raises(RuntimeError):
        run_forecast(DAY)
    run = Run.objects.latest("queued_at")
    assert run.status == RunStatus.FAILED and "boom" in run.error and run.step == "write"
    assert Projection.objects.filter(as_of=DAY).count() == 2 * UNITS  # the previous complete rows
    assert Estimate.objects.filter(day=DAY).count() == UNITS
    assert Estimate.objects.get(unit=world.commune, day=DAY).pk != before  # that table was replaced whole


def _replace_then(replace, model, fail):
    def wrapper(target, rows, **kw):
        if target is model:
            return fail()
        return replace(target, rows, **kw)

    return wrapper


def test_progress_is_saved_as_the_run_goes(epidemic, monkeypatch):
    monkeypatch.setattr(nightly, "CHUNK", 3)
    seen = []
    run = run_forecast(DAY, report=lambda r: seen.append((r.step, r.done, r.total)))
    assert ("compute", 3, UNITS) in seen and ("compute", UNITS, UNITS) in seen
    assert [s for s, *_ in seen].index("read") < [s for s, *_ in seen].index("write")
    assert Run.objects.get(pk=run.pk).figures["worker"]["pid"] > 0


def test_an_empty_territory_runs(db):
    run = run_forecast(DAY)
    assert run.status == RunStatus.DONE and run.total == 0 and not Estimate.objects.exists()


# -- a stuck run -----------------------------------------------------------------------------------------
def _dead_pid() -> int:
    child = subprocess.Popen(["true"])  # noqa: S607 - a process that ends at once
    child.wait()
    return child.pid


def test_a_run_whose_process_died_is_marked_failed_by_the_recovery(epidemic):
    from chongdich.core import workers

    dead = Run.objects.create(
        day=DAY,
        status=RunStatus.RUNNING,
        step="compute",
        started_at=timezone.now(),
        figures={"worker": {"host": workers.host_id(), "pid": _dead_pid(), "process_started": "1"}},
    )
    alive = run_forecast(DAY - timedelta(days=1))
    Run.objects.filter(pk=alive.pk).update(status=RunStatus.RUNNING)  # as if still going, in this process
    done = recovery.recover()
    assert done.other["chongdich.forecast.nightly.fail_stale_runs"] == [dead.pk]
    dead.refresh_from_db()
    assert dead.status == RunStatus.FAILED and dead.finished_at and "Hãy chạy lại" in dead.error
    assert Run.objects.get(pk=alive.pk).status == RunStatus.RUNNING
    assert fail_stale_runs() == []  # nothing twice


def test_a_run_on_another_machine_fails_when_silent(db, settings):
    now = timezone.now()
    old = (now - timedelta(seconds=settings.CHONGDICH_WORKER_STALE_SECONDS + 5)).isoformat()
    silent = Run.objects.create(
        day=DAY,
        status=RunStatus.RUNNING,
        figures={"worker": {"host": "elsewhere/1", "pid": 1, "process_started": "1"}, "beat": old},
    )
    beating = Run.objects.create(
        day=DAY,
        status=RunStatus.RUNNING,
        figures={"worker": {"host": "elsewhere/1", "pid": 1, "process_started": "1"}, "beat": now.isoformat()},
    )
    assert fail_stale_runs(now) == [silent.pk]
    assert Run.objects.get(pk=beating.pk).status == RunStatus.RUNNING


def test_a_queued_run_without_its_task_fails_after_the_grace(db, settings):
    run = Run.objects.create(day=DAY, status=RunStatus.QUEUED)
    assert fail_stale_runs() == []  # just queued: the task may be on its way
    later = timezone.now() + timedelta(seconds=settings.CHONGDICH_RECOVERY_GRACE_SECONDS + 1)
    assert fail_stale_runs(later) == [run.pk]


# -- started by hand -------------------------------------------------------------------------------------
def test_do_start_run_queues_runs_and_audits(epidemic, personas, django_capture_on_commit_callbacks):
    user = personas["province"]
    with django_capture_on_commit_callbacks(execute=True):
        run = do_start_run(user, DAY)
    run.refresh_from_db()
    assert run.status == RunStatus.DONE and run.started_by == user and run.day == DAY
    assert Estimate.objects.filter(day=DAY).count() == UNITS
    event = AuditEvent.objects.get(object_type="forecast.run", object_id=str(run.pk))
    assert event.actor == user and event.action == "create"


def test_do_start_run_refuses_a_second_run_of_the_day_and_bad_days(epidemic, personas):
    user = personas["province"]
    busy = Run.objects.create(day=DAY, status=RunStatus.RUNNING)
    with override("vi"), pytest.raises(ValidationError) as refused:
        do_start_run(user, DAY)
    assert "01/08/2021" in refused.value.messages[0] and refused.value.params == {"run": busy.pk}
    assert "đang chờ hoặc đang chạy" in refused.value.messages[0]
    assert Run.objects.filter(day=DAY).count() == 1
    Run.objects.filter(pk=busy.pk).update(status=RunStatus.QUEUED)
    with pytest.raises(ValidationError):
        do_start_run(user, DAY)
    with override("vi"), pytest.raises(ValidationError) as future:
        do_start_run(user, timezone.localdate() + timedelta(days=1))
    assert "day" in future.value.message_dict
    Run.objects.filter(pk=busy.pk).update(status=RunStatus.DONE)
    assert do_start_run(user, DAY).status == RunStatus.QUEUED  # done runs do not block a new one


# -- scheduling and the command --------------------------------------------------------------------------
def test_next_run_is_tonight_or_tomorrow_night():
    tz = timezone.get_current_timezone()
    before = timezone.make_aware(timezone.datetime(2021, 8, 1, 1, 0), tz)
    after = timezone.make_aware(timezone.datetime(2021, 8, 1, 3, 0), tz)
    assert timezone.localtime(next_run(before)).date() == date(2021, 8, 1)
    assert timezone.localtime(next_run(after)).date() == date(2021, 8, 2)
    assert timezone.localtime(next_run(after)).time() == NIGHTLY_AT


def test_the_nightly_task_runs_the_day(epidemic):
    result = forecast_night.enqueue(DAY.isoformat())
    assert result.return_value["day"] == DAY.isoformat() and result.return_value["rows"]["estimates"] == UNITS
    run = Run.objects.get(pk=result.return_value["run"])
    assert run.status == RunStatus.DONE


def test_a_run_marked_failed_before_its_task_ran_is_skipped(db):
    run = Run.objects.create(day=DAY, status=RunStatus.FAILED)
    assert forecast_run.enqueue(run.pk).return_value == {"run": run.pk, "skipped": True}


def test_the_immediate_backend_cannot_schedule(db):
    assert schedule_next() is False


def test_the_command_prints_progress_and_figures(epidemic, capsys):
    call_command("forecast_nightly", "--day", DAY.isoformat())
    out = capsys.readouterr().out
    assert "compute" in out and f"{UNITS:,} / {UNITS:,} units" in out
    assert "estimates 8" in out and "projections 16" in out and "seconds per step" in out
    assert Estimate.objects.filter(day=DAY).count() == UNITS
    assert AdminUnit.objects.count() > UNITS  # villages are not forecast
