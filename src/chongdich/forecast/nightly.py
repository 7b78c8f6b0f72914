"""The nightly forecast run: Rt, projections, demand and scores for every unit, then runouts and alerts.

``run_forecast(day)`` reads the tallies once (``series.incidence``: communes and their roll-ups, set-based),
then for each group of units sharing a configuration (a province's ``ForecastSetting``) and in chunks of
``CHUNK`` units (bounded memory), calls the pure rules — ``estimate_rt``, ``project`` and ``naive`` — on
whole arrays; the demand for beds, quarantine places, tests and the active cases follows from the
projected cases through ``rules.occupancy``.  The projections made 7 and 14 days before whose target is
``day`` are scored against what happened.  Each table's rows of the day are replaced in one transaction
(``store.replace``): a re-run replaces, never duplicates, and a crash leaves the previous complete rows
or the new ones.  Then ``runouts.compute_runouts`` and ``watch.fire`` run for the day.

Progress is written to the ``Run`` row in short transactions of its own (the page that follows a run
reads it), with the process that runs it (host, pid) and a beat: ``recovery.fail_stale_runs`` marks failed
a run whose process died (the core recovery pass calls it, ``core.recovery.register``).
"""

from __future__ import annotations

import json
import logging
import os
import time
import traceback
from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override as language

from chongdich.core import clock, workers
from chongdich.core.models import TaskWorker
from chongdich.forecast import rules, runouts, store, watch
from chongdich.forecast.models import Estimate, ForecastSetting, Method, Projection, Run, RunStatus, Score
from chongdich.forecast.series import Series, incidence

logger = logging.getLogger(__name__)

DAYS = 120  # days of tallies read: the estimation window and the serial interval need far fewer
CHUNK = 1000  # units computed at once (the renewal model's samples are units × samples × horizon)
LEADS = (7, 14)  # the projections scored: made this many days before the day
QUANTILE_KEYS = tuple(f"q{round(q * 100):02d}" for q in rules.QUANTILES)  # q05, q25, q50, q75, q95
DEMAND_PATHS = ("q50", "q95")  # demand computed from the median and the upper daily paths
BED_TYPES = ("treatment", "oxygen", "icu")

STEPS = {
    "queued": _("Queued"),
    "read": _("Reading the tallies"),
    "compute": _("Rt and projections"),
    "score": _("Scoring earlier projections"),
    "write": _("Saving"),
    "runouts": _("What runs out first"),
    "alerts": _("Alerts"),
    "done": _("Done"),
}

STALE_RUNNING = _(
    "The process running this forecast stopped (the server may have restarted or run short of memory). "
    "Start the run again."
)
STALE_QUEUED = _("The task that was to run this forecast ended without running it. Start the run again.")


@dataclass
class _Group:
    cfg: rules.Config
    rows: np.ndarray  # rows of the series using this configuration


class _Progress:
    """The run's progress, saved in its own short transactions (outside any transaction of the caller
    when there is none: autocommit)."""

    def __init__(self, run: Run, report=None):
        self.run = run
        self.report = report
        self.started = time.perf_counter()
        self.step_started = self.started
        self.timings: dict[str, float] = {}

    def step(self, name: str, *, done: int | None = None, total: int | None = None) -> None:
        now = time.perf_counter()
        if self.run.step and self.run.step not in self.timings:
            self.timings[self.run.step] = round(now - self.step_started, 3)
        self.step_started = now
        self.run.step = name
        if total is not None:
            self.run.total = total
        if done is not None:
            self.run.done = done
        self.save()

    def advance(self, done: int) -> None:
        self.run.done = done
        self.save()

    def save(self, **extra) -> None:
        self.run.figures = {**self.run.figures, "timings": self.timings, "beat": timezone.now().isoformat()}
        fields = {"step": self.run.step, "done": self.run.done, "total": self.run.total, "figures": self.run.figures}
        fields.update(extra)
        for name, value in extra.items():
            setattr(self.run, name, value)
        Run.objects.filter(pk=self.run.pk).update(**fields)
        if self.report is not None:
            self.report(self.run)


def _worker() -> dict:
    pid = os.getpid()
    return {"host": workers.host_id(), "pid": pid, "process_started": workers.process_started(pid) or ""}


def default_day() -> date:
    """The day a run forecasts from when none is given: the last whole day of tallies (yesterday)."""
    return clock.today() - timedelta(days=1)


def run_forecast(day: date | None = None, *, run: Run | None = None, report=None) -> Run:
    """Compute and store the day's forecasts for every unit (replacing the day's rows); returns the run.
    ``day``: the as-of day, the last column of the series (default: yesterday, ``default_day``);
    ``report(run)`` is called after each saved progress (the command prints it)."""
    day = day or (run.day if run else default_day())
    if run is None:
        run = Run.objects.create(day=day, status=RunStatus.QUEUED)
    run.day = day
    run.status = RunStatus.RUNNING
    run.started_at = timezone.now()
    run.error = ""
    run.figures = {**{k: v for k, v in run.figures.items() if k == "task_id"}, "worker": _worker()}
    progress = _Progress(run, report)
    progress.save(status=run.status, started_at=run.started_at, error="", day=day)
    try:
        figures = _compute_and_store(day, progress)
    except Exception as error:
        progress.timings[run.step] = round(time.perf_counter() - progress.step_started, 3)
        progress.save(
            status=RunStatus.FAILED,
            finished_at=timezone.now(),
            seconds=round(time.perf_counter() - progress.started, 3),
            error=f"{type(error).__name__}: {error}\n\n{traceback.format_exc(limit=8)}"[:4000],
        )
        logger.exception("forecast run %s for %s failed", run.pk, day)
        raise
    progress.step("done", done=run.total)
    run.figures.update(figures)
    progress.save(
        status=RunStatus.DONE, finished_at=timezone.now(), seconds=round(time.perf_counter() - progress.started, 3)
    )
    return run


def _compute_and_store(day: date, progress: _Progress) -> dict:
    progress.step("read")
    series = incidence(day, DAYS)
    groups, config_errors = _groups(series, day)
    progress.step("compute", done=0, total=len(series))
    estimates: list[Estimate] = []
    projections: list[Projection] = []
    done = 0
    for group in groups:
        for chunk in np.array_split(group.rows, max(1, -(-len(group.rows) // CHUNK))):
            if not len(chunk):
                continue
            estimates.extend(_estimates(series, chunk, group.cfg, day))
            projections.extend(_projections(series, chunk, group.cfg, day))
            done += len(chunk)
            progress.advance(done)
    progress.step("score")
    scores = _scores(series, day)
    progress.step("write")
    written = {
        "estimates": store.replace(Estimate, estimates, day=day),
        "projections": store.replace(Projection, projections, as_of=day),
        "scores": store.replace(Score, scores, target_day=day),
    }
    progress.step("runouts")
    written["runouts"] = runouts.compute_runouts(day)
    progress.step("alerts")
    written["alerts"] = watch.fire(day)
    reliable = sum(1 for e in estimates if e.reliable)
    return {
        "units": len(series),
        "cells": series.cells,
        "reliable": reliable,
        "rows": written,
        "config_errors": config_errors,
        "versions": sorted({g.cfg.version for g in groups}),
    }


# -- configuration ----------------------------------------------------------------------------------------
def _groups(series: Series, day: date) -> tuple[list[_Group], dict[str, str]]:
    """The units grouped by their province's configuration (one group when no province changed any)."""
    overrides = dict(ForecastSetting.objects.values_list("province_code", "overrides"))
    errors: dict[str, str] = {}
    by_key: dict[str, tuple[rules.Config, list[int]]] = {}
    default = rules.config(None, on=day)
    for row, province in enumerate(series.province_codes):
        changed = overrides.get(province) or None
        key = json.dumps(changed, sort_keys=True) if changed else ""
        if key not in by_key:
            cfg = default
            if changed:
                try:
                    cfg = rules.config(changed, on=day)
                except rules.InputError as error:  # saved before a rule changed: the defaults, and say so
                    errors[province] = str(error)
                    key = ""
            if key not in by_key:
                by_key[key] = (cfg, [])
        by_key[key][1].append(row)
    return [_Group(cfg, np.array(rows, dtype=np.int64)) for cfg, rows in by_key.values()], errors


def _inputs(series: Series, rows: np.ndarray, cfg: rules.Config) -> tuple[np.ndarray, np.ndarray]:
    """(local, imported) of the rows: the rules count quarantine-detected cases as imported infections or
    as local cases as ``cfg.imported`` says."""
    return series.local[rows], series.imported[rows]


def observed(series: Series, rows: np.ndarray) -> np.ndarray:
    """What the projections forecast and are scored against: every new case of the day."""
    return series.cases[rows, -1]


# -- estimates --------------------------------------------------------------------------------------------
def _estimates(series: Series, rows: np.ndarray, cfg: rules.Config, day: date) -> list[Estimate]:
    local, imported = _inputs(series, rows, cfg)
    rt = rules.estimate_rt(local, imported, cfg)
    cases = series.cases[rows]
    last7 = cases[:, -7:].sum(axis=1)
    prev7 = cases[:, -14:-7].sum(axis=1)
    result = []
    for i, row in enumerate(rows):
        reliable = bool(rt.reliable[i, -1])
        before = int(prev7[i])
        result.append(
            Estimate(
                unit_id=int(series.unit_ids[row]),
                unit_path=series.paths[row],
                province_code=series.province_codes[row],
                commune_code=series.commune_codes[row],
                day=day,
                tier=series.tiers[row],
                window=cfg.window,
                cases_window=max(0, int(round(float(np.nan_to_num(rt.cases_window[i, -1]))))),
                reliable=reliable,
                rt_mean=store.number(rt.mean[i, -1], 4),
                rt_lo=store.number(rt.lo[i, -1], 4),
                rt_hi=store.number(rt.hi[i, -1], 4),
                p_below_1=store.number(rt.p_below_1[i, -1], 4),
                growth_rate=store.number(rt.growth_rate[i, -1], 5) if reliable else None,
                doubling_days=store.number(rt.doubling_days[i, -1], 2) if reliable else None,
                cases_7d=int(last7[i]),
                cases_prev_7d=before,
                growth_wow=round(int(last7[i]) / before - 1, 4) if before else None,
                active=int(series.active[row]),
                config_version=cfg.version,
            )
        )
    return result


# -- projections and demand ------------------------------------------------------------------------------
def _projections(series: Series, rows: np.ndarray, cfg: rules.Config, day: date) -> list[Projection]:
    local, imported = _inputs(series, rows, cfg)
    horizon = cfg.horizon
    by_method = {
        Method.RENEWAL: rules.project(local, imported, cfg, horizon=horizon, seed=0),
        Method.NAIVE: rules.naive(local, imported, horizon=horizon, cfg=cfg),
    }
    result = []
    for method, quantiles in by_method.items():
        demand = _demand(series, rows, cfg, quantiles)
        # rounded and turned into lists once per chunk (units × …), not per row
        listed = store.path(quantiles)
        demand_listed = {kind: {p: store.path(paths[p], 1) for p in DEMAND_PATHS} for kind, paths in demand.items()}
        for i, row in enumerate(rows):
            result.append(
                Projection(
                    unit_id=int(series.unit_ids[row]),
                    unit_path=series.paths[row],
                    province_code=series.province_codes[row],
                    commune_code=series.commune_codes[row],
                    as_of=day,
                    method=method,
                    horizon=horizon,
                    quantiles=dict(zip(QUANTILE_KEYS, listed[i], strict=True)),
                    demand={kind: {p: paths[p][i] for p in DEMAND_PATHS} for kind, paths in demand_listed.items()},
                    config_version=cfg.version,
                )
            )
    return result


def _demand(series: Series, rows: np.ndarray, cfg: rules.Config, quantiles: np.ndarray) -> dict[str, dict]:
    """Beds in use by type, quarantine places, tests per day and active cases, for the median and the
    upper daily paths of projected cases (units × horizon each): the current occupants leave, the new
    ones stay their length of stay (``rules.occupancy``)."""
    stay = cfg.stay_days
    demand: dict[str, dict] = {kind: {} for kind in (*BED_TYPES, "quarantine", "tests", "active")}
    for key in DEMAND_PATHS:
        cases = np.nan_to_num(quantiles[:, QUANTILE_KEYS.index(key), :])
        for bed in BED_TYPES:
            demand[bed][key] = rules.occupancy(
                series.occupied[bed][rows].astype(np.float64), cases * float(cfg.shares.get(bed, 0)), stay[bed]
            )
        demand["quarantine"][key] = rules.occupancy(
            series.occupied["quarantine"][rows].astype(np.float64), cases * float(cfg.f1_per_case), stay["quarantine"]
        )
        demand["tests"][key] = cases * float(cfg.tests_per_case)
        demand["active"][key] = rules.occupancy(series.active[rows].astype(np.float64), cases, stay["active"])
    return demand


# -- scores -----------------------------------------------------------------------------------------------
def _scores(series: Series, day: date) -> list[Score]:
    """Score the projections made ``LEADS`` days before whose target day is ``day`` (both methods): the
    quantiles of that day are read from the stored JSON by the database, not parsed in Python."""
    row_of = series.row_of()
    result: list[Score] = []
    for lead in LEADS:
        made_on = day - timedelta(days=lead)
        picked = [f"quantiles__{key}__{lead - 1}" for key in QUANTILE_KEYS]
        found = list(
            Projection.objects.filter(as_of=made_on, horizon__gte=lead).values_list(
                "unit_id", "method", "unit_path", "province_code", "commune_code", *picked
            )
        )
        found = [p for p in found if p[0] in row_of and all(v is not None for v in p[5:])]
        if not found:
            continue
        rows = np.array([row_of[p[0]] for p in found], dtype=np.int64)
        quantiles = np.array([p[5:] for p in found], dtype=np.float64)
        seen = observed(series, rows)
        scored = rules.score(quantiles, seen)
        for i, p in enumerate(found):
            result.append(
                Score(
                    unit_id=p[0],
                    unit_path=p[2],
                    province_code=p[3],
                    commune_code=p[4],
                    made_on=made_on,
                    lead=lead,
                    method=p[1],
                    target_day=day,
                    observed=int(seen[i]),
                    median=float(quantiles[i, QUANTILE_KEYS.index("q50")]),
                    abs_error=float(scored.abs_error[i]),
                    in_50=bool(scored.in_50[i]),
                    in_90=bool(scored.in_90[i]),
                    wis=float(scored.wis[i]),
                )
            )
    return result


# -- recovery ---------------------------------------------------------------------------------------------
def fail_stale_runs(now=None) -> list[int]:
    """Mark failed the runs whose process died: RUNNING in a process that is gone (or, on another machine,
    silent for ``CHONGDICH_WORKER_STALE_SECONDS``), or QUEUED behind a task that ended without running it.
    Called by the core recovery pass (every task worker, ``chongdich recover_jobs``)."""
    now = now or timezone.now()
    here = workers.host_id()
    grace = timedelta(seconds=settings.CHONGDICH_RECOVERY_GRACE_SECONDS)
    failed: list[int] = []
    for run in Run.objects.filter(status__in=[RunStatus.QUEUED, RunStatus.RUNNING]):
        worker = run.figures.get("worker") or {}
        beat = _parse_time(run.figures.get("beat")) or run.started_at or run.queued_at
        if run.status == RunStatus.RUNNING:
            if worker:
                alive = workers.is_alive(
                    TaskWorker(
                        host=worker.get("host", ""),
                        pid=int(worker.get("pid") or 0),
                        process_started=worker.get("process_started", ""),
                        beat_at=beat,
                    ),
                    here=here,
                    now=now,
                )
            else:
                alive = beat > now - grace
            reason = STALE_RUNNING
        else:
            alive = _task_pending(run.figures.get("task_id")) or run.queued_at > now - grace
            reason = STALE_QUEUED
        if alive:
            continue
        with language(settings.LANGUAGE_CODE):
            message = str(reason)
        with transaction.atomic():
            if Run.objects.filter(pk=run.pk, status=run.status).update(
                status=RunStatus.FAILED, finished_at=now, error=message
            ):
                failed.append(run.pk)
    return failed


def _task_pending(task_id) -> bool:
    """Whether the task is still queued or running (unknown backends: assume it is)."""
    if not task_id:
        return False
    try:
        from django_tasks_db.compat import TaskResultStatus
        from django_tasks_db.models import DBTaskResult
    except ImportError:  # pragma: no cover - another backend keeps its own queue
        return True
    status = DBTaskResult.objects.filter(pk=task_id).values_list("status", flat=True).first()
    return status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)


def _parse_time(value):
    if not value:
        return None
    from django.utils.dateparse import parse_datetime

    return parse_datetime(value)
