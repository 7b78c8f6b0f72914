"""The daily assessment: gather every unit's inputs, run the engine (communes first, then the
roll-up to districts, provinces and the nation), and store one row per unit for the day.

Idempotent per day: a re-run replaces that day's rows (and keeps the announcement time of a level
that did not change, so the notice period does not restart).  Publication (R-24): a level that
differs from the one in force is announced now and takes effect after the notice (48 h by default);
the level in force until then is kept on every row (``in_force_*``), the previous level's
``effective_to`` is set to the new one's ``effective_from``, and an announced change that a later
assessment reverses is cancelled (``effective_to == effective_from``).  The first level a unit ever
gets takes effect at once.  A unit without a level (missing inputs) keeps the level in force.
"""

from __future__ import annotations

import json
import time
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from chongdich.core import audit, clock
from chongdich.core.versioning import NoRuleInForce
from chongdich.risk.configuration import deployment_config, framework_on, notice_hours, setting_in_force
from chongdich.risk.inputs import Gathered, Previous, absent, gather
from chongdich.risk.models import LEVEL_STATE_FIELDS, NATION_CODE, ProvinceRiskSetting, RiskAssessment, Tier
from chongdich.risk.rules import Assessment, RiskConfig, UnitInputs, assess_units
from chongdich.risk.rules.config import FRAMEWORK_RULES
from chongdich.risk.rules.engine import no_gc
from chongdich.risk.scenarios import update_scenarios
from chongdich.risk.signals import day_assessed
from chongdich.tallies.registry import settle

BACKFILL_HOUR = clock_time(
    8, 0
)  # announcement time given to a past day's assessment [D: the national map's first refresh]
HEADLINE_INPUTS = (
    "population",
    "new_community_cases_7d",
    "new_community_cases_14d",
    "unknown_source_cases_14d",
    "deaths_7d",
    "hospital_cases_7d",
    "f1_present",
    "capacity_ready",
    "vacant_beds_per_100k",
    "previous_level",
    "override_level",
)
Key = tuple[str, int]  # (framework, level)


@dataclass
class RunSummary:
    day: date
    announced_at: datetime
    frameworks: dict[str, list[str]] = field(default_factory=dict)  # framework → province codes
    skipped_provinces: list[str] = field(default_factory=list)  # no framework in force
    units: int = 0
    by_colour: Counter = field(default_factory=Counter)
    without_level: int = 0
    missing: Counter = field(default_factory=Counter)  # input name → number of units lacking it
    changes_announced: int = 0
    scenario_switches: int = 0
    tasks_created: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(),
            "frameworks": self.frameworks,
            "skipped_provinces": self.skipped_provinces,
            "units": self.units,
            "by_colour": dict(self.by_colour),
            "without_level": self.without_level,
            "missing": dict(self.missing.most_common(20)),
            "changes_announced": self.changes_announced,
            "scenario_switches": self.scenario_switches,
            "tasks_created": self.tasks_created,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
        }


def announcement_time(day: date) -> datetime:
    """Now for today's run; 08:00 local of the day for a past day (backfill)."""
    if day == clock.today():
        return clock.now()
    return timezone.make_aware(datetime.combine(day, BACKFILL_HOUR))


def assess_day(
    day: date | None = None, *, framework: str | None = None, actor=None, config: RiskConfig | None = None
) -> RunSummary:
    """Assess every unit of the deployment on ``day`` (default today) and store the results."""
    day = day or clock.today()
    if day > clock.today():
        raise ValidationError(_("A day in the future cannot be assessed."))
    if framework is not None and framework not in ("2686", "4800", "218"):
        raise ValidationError(_("Unknown framework %(name)s: use 2686, 4800 or 218.") % {"name": framework})
    settle()  # changes falling due with time are written before the tallies are read (care's quarantines)
    with _one_run_at_a_time(), no_gc():
        summary = _assess_day(day, framework, actor, config)
    day_assessed.send(sender=RiskAssessment, day=day)
    return summary


RUN_LOCK = 0x7269736B  # "risk": a PostgreSQL advisory lock so that two runs (the daily job, one queued by a
# decision) do not interleave; SQLite serialises writers anyway.


@contextmanager
def _one_run_at_a_time() -> Iterator[None]:
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [RUN_LOCK])
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [RUN_LOCK])


def _assess_day(day: date, framework: str | None, actor, config: RiskConfig | None) -> RunSummary:
    started = time.perf_counter()
    summary = RunSummary(day, announcement_time(day))
    gathered = gather(day)
    settings_rows = list(ProvinceRiskSetting.objects.select_related("province"))
    config = config or deployment_config(settings_rows)
    summary.seconds["gather"] = time.perf_counter() - started

    mark = time.perf_counter()
    groups = _framework_groups(gathered, config, day, framework, summary)
    results: list[tuple[Assessment, UnitInputs]] = []
    for chosen, units in groups:
        _prepare(units, gathered, chosen)
        assessed = assess_units(units, as_of=day, framework=chosen, config=config)
        results.extend(zip(assessed, units, strict=True))
    summary.seconds["engine"] = time.perf_counter() - mark

    mark = time.perf_counter()
    with transaction.atomic():
        _store(day, results, gathered, config, settings_rows, summary)
        switches, created = update_scenarios(day, gathered, config, settings_rows, summary.announced_at)
        summary.scenario_switches, summary.tasks_created = switches, created
        audit.record(
            actor,
            audit.AuditAction.UPDATE,
            None,
            object_type_label="risk.riskassessment",
            object_id=day.isoformat(),
            label=_("Risk assessment of %(day)s") % {"day": f"{day:%d/%m/%Y}"},
            unit_path="/",
            detail={k: v for k, v in summary.as_dict().items() if k != "seconds"},
        )
    summary.seconds["store"] = time.perf_counter() - mark
    summary.seconds["total"] = time.perf_counter() - started
    return summary


# --- framework groups -----------------------------------------------------------------------------


def _framework_groups(
    gathered: Gathered, config: RiskConfig, day: date, forced: str | None, summary: RunSummary
) -> list[tuple[str, list[UnitInputs]]]:
    """Units grouped by the framework their province uses on the day (R-01, province overrides).
    The nation is assessed only when every province uses the same framework."""
    province_of = {code: row.province_code for code, row in gathered.rows.items()}
    provinces = sorted({row.province_code for row in gathered.rows.values() if row.tier == Tier.PROVINCE})
    chosen = {code: forced or framework_on(config, day, code) for code in provinces}
    for code, framework in chosen.items():
        if framework is not None:
            try:
                config.rule(FRAMEWORK_RULES[framework], day, code)
            except NoRuleInForce:  # e.g. 4800 chosen for a day before 11/10/2021
                if forced:
                    raise ValidationError(
                        _("Framework %(name)s is not in force on %(day)s.")
                        % {"name": forced, "day": day.strftime("%d/%m/%Y")}
                    ) from None
                chosen[code] = framework = None
        if framework is None:
            summary.skipped_provinces.append(code)
        else:
            summary.frameworks.setdefault(framework, []).append(code)
    whole = len(summary.frameworks) == 1 and not summary.skipped_provinces
    groups: dict[str, list[UnitInputs]] = defaultdict(list)
    for unit in gathered.units:
        if unit.code == NATION_CODE:
            if whole:
                groups[next(iter(summary.frameworks))].append(unit)
            continue
        framework = chosen.get(province_of[unit.code])
        if framework is None:
            continue
        if unit.parent == NATION_CODE and not whole:
            del unit.parent  # reads None
        groups[framework].append(unit)
    if len(groups) > 1:  # bordering units in another group cannot be compared: keep neighbours within the group
        for units in groups.values():
            codes = {unit.code for unit in units}
            for unit in units:
                if unit.neighbours is not None:
                    unit.neighbours = tuple(code for code in unit.neighbours if code in codes)
    return list(groups.items())


def _prepare(units: list[UnitInputs], gathered: Gathered, framework: str) -> None:
    """Inputs that depend on the framework: the previous level (R-22) and a local override (R-14)."""
    for unit in units:
        previous = gathered.previous.get(unit.code)
        unit.previous_level = previous.computed_level if previous and previous.framework == framework else None
        override = gathered.overrides.get(unit.code)
        unit.override_level = override.level if override is not None and override.framework == framework else None
        absent(unit)


# --- storing --------------------------------------------------------------------------------------


def _store(
    day: date,
    results: list[tuple[Assessment, UnitInputs]],
    gathered: Gathered,
    config: RiskConfig,
    settings_rows: list,
    summary: RunSummary,
) -> None:
    notices: dict[tuple[str, str], timedelta] = {}
    province_pk = {row.code: row.pk for row in gathered.rows.values() if row.tier == Tier.PROVINCE}
    period_ends: dict[datetime | None, list[tuple[str, datetime]]] = defaultdict(list)
    objects = []
    reason_cache: dict[int, dict[str, str]] = {}
    for result, unit in results:
        row = gathered.rows[result.code]
        framework = str(result.framework)
        slot = (row.province_code, framework)
        if slot not in notices:
            setting = setting_in_force(province_pk.get(row.province_code), day, settings_rows)
            notices[slot] = timedelta(hours=notice_hours(config, framework, day, row.province_code or None, setting))
        key = None if result.applied_level is None else (framework, result.applied_level)
        same = gathered.same_day.get(result.code)
        same_key = None if same is None or same.applied_level is None else (same.framework, same.applied_level)
        at = same.announced_at if same is not None and same_key == key else summary.announced_at
        step = timeline(
            gathered.previous.get(result.code), key, at, notices[slot], rerun=same is not None and same_key != key
        )
        for since, end in step.writes:
            period_ends[end].append((result.code, since))
        if step.announced:
            summary.changes_announced += 1
        objects.append(_assessment_row(result, unit, row, gathered, day, at, step, reason_cache))
        summary.units += 1
        if result.colour:
            summary.by_colour[result.colour] += 1
        else:
            summary.without_level += 1
        for name in result.missing:
            summary.missing[name.rsplit(".", 1)[-1]] += 1
    RiskAssessment.objects.filter(day=day).delete()
    _insert(objects)
    for end, periods in period_ends.items():
        for start in range(0, len(periods), 200):
            condition = Q()
            for code, since in periods[start : start + 200]:
                condition |= Q(code=code, effective_from=since)
            RiskAssessment.objects.filter(condition, day__lt=day).update(effective_to=end)


COPY_FIELDS = (
    "unit_id",
    "code",
    "name",
    "tier",
    "unit_path",
    "province_code",
    "day",
    "framework",
    "rule_version",
    "inputs",
    "indicators",
    "computed_level",
    "applied_level",
    "colour",
    "reasons",
    "missing",
    "method",
    "announced_at",
    "effective_from",
    "effective_to",
    *LEVEL_STATE_FIELDS,
)
JSON_POSITIONS = tuple(COPY_FIELDS.index(name) for name in ("inputs", "indicators", "reasons", "missing"))


def _insert(rows: list[list[Any]]) -> None:
    """The day's rows (values in ``COPY_FIELDS`` order): COPY on PostgreSQL (10× faster than an
    INSERT for 10,000 rows with JSON), bulk_create elsewhere."""
    if connection.vendor != "postgresql":
        RiskAssessment.objects.bulk_create(
            [RiskAssessment(**dict(zip(COPY_FIELDS, row, strict=True))) for row in rows], batch_size=500
        )
        return
    dumps = json.JSONEncoder(ensure_ascii=False, check_circular=False, separators=(",", ":")).encode
    encoded: dict[int, str] = {}  # reasons shared by many units (same band, same matrix cell) are encoded once
    reasons_at = COPY_FIELDS.index("reasons")
    with connection.cursor() as cursor:
        # A run can be recomputed at any time: losing it in a crash costs nothing, so the commit
        # need not wait for the disk.
        cursor.execute("SET LOCAL synchronous_commit = off")
        with cursor.cursor.copy(f"COPY {RiskAssessment._meta.db_table} ({', '.join(COPY_FIELDS)}) FROM STDIN") as copy:
            for row in rows:  # encoded while the server reads the rows already sent
                for position in JSON_POSITIONS:
                    if position == reasons_at:
                        parts = []
                        for reason in row[position]:
                            text = encoded.get(id(reason))
                            if text is None:
                                text = encoded[id(reason)] = dumps(reason)
                            parts.append(text)
                        row[position] = f"[{','.join(parts)}]"
                    else:
                        row[position] = dumps(row[position])
                copy.write_row(row)


def _assessment_row(
    result: Assessment,
    unit: UnitInputs,
    row,
    gathered: Gathered,
    day: date,
    at: datetime,
    step: Step,
    reason_cache: dict[int, dict[str, str]],
) -> list[Any]:
    # The inputs the framework used (totals for a roll-up), a few headline figures, and where the
    # flags came from; neighbours are in the indicators (their levels) when the framework uses them.
    values = unit.__dict__
    inputs: dict[str, Any] = {name: values[name] for name in HEADLINE_INPUTS if values.get(name) is not None}
    inputs.update(result.inputs)
    inputs.update(gathered.extra.get(result.code, ()))
    reasons = []
    for reason in result.reasons:  # reasons shared by many units are written once
        found = reason_cache.get(id(reason))
        if found is None:
            found = reason_cache[id(reason)] = {"rule": reason.rule, "vi": reason.vi, "en": reason.en}
        reasons.append(found)
    in_force, pending = step.in_force, step.pending
    return [
        row.pk,
        result.code,
        result.name,
        row.tier,
        row.path,
        row.province_code,
        day,
        str(result.framework),
        result.rule_version[:300],
        inputs,
        result.indicators,
        result.computed_level,
        result.applied_level,
        result.colour or "",
        reasons,
        list(result.missing),
        result.method,
        at,
        step.effective_from,
        step.effective_to,
        in_force[0][0] if in_force else "",
        in_force[0][1] if in_force else None,
        in_force[1] if in_force else None,
        pending[0][0] if pending else "",
        pending[0][1] if pending else None,
        pending[1] if pending else None,
    ]


# --- the notice timeline (R-24) -------------------------------------------------------------------


@dataclass(slots=True)
class Step:
    effective_from: datetime | None  # of this row's level (None: no level)
    effective_to: datetime | None
    in_force: tuple[Key, datetime] | None  # the level in force after this row is announced, and since when
    pending: tuple[Key, datetime] | None  # an announced change still to come, and from when
    writes: list[tuple[datetime, datetime | None]]  # (period start, its end) to set on earlier rows
    announced: bool  # this row announces a change


def timeline(
    previous: Previous | None, key: Key | None, at: datetime, notice: timedelta, *, rerun: bool = False
) -> Step:
    """Where a new assessment with level ``key``, announced at ``at``, sits in the unit's timeline.

    State before: the level in force and possibly an announced change still to come, both kept on
    the unit's latest earlier row.  A pending change whose time has come is in force now.  Then: the
    same level as in force → continues it (and cancels a pending change); the same as the pending
    change → continues that announcement; otherwise a new announcement effective after ``notice``
    (the very first level is effective at once).  ``writes`` are the period ends that earlier rows
    must carry; on a re-run of the day they are all written, else only those that change."""
    if (
        previous is not None
        and previous.pending_level is None
        and key is not None
        and previous.in_force_level == key[1]
        and previous.in_force_framework == key[0]
    ):
        # The usual day: the level in force continues and nothing is announced.
        since = previous.in_force_since
        return Step(since, None, (key, since), None, [], False)
    in_force: tuple[Key, datetime] | None = None
    pending: tuple[Key, datetime] | None = None
    if previous is not None:
        if previous.in_force_level is not None:
            in_force = ((previous.in_force_framework, previous.in_force_level), previous.in_force_since)
        if previous.pending_level is not None:
            pending = ((previous.pending_framework, previous.pending_level), previous.pending_from)
    before_in_force, before_pending = in_force, pending
    if pending is not None and pending[1] <= at:
        in_force, pending = pending, None
    announced = False
    effective_from: datetime | None
    if key is None:
        effective_from = None
    elif in_force is None:
        effective_from = at
        in_force, pending = (key, at), None
    elif key == in_force[0]:
        effective_from = in_force[1]
        pending = None
    elif pending is not None and key == pending[0]:
        effective_from = pending[1]
    else:
        effective_from = at + notice
        announced = True
        if notice <= timedelta(0):  # no notice: in force at once
            in_force, pending = (key, effective_from), None
        else:
            pending = (key, effective_from)
    effective_to = None
    if effective_from is not None and in_force is not None and effective_from == in_force[1] and pending is not None:
        effective_to = pending[1]

    ends: dict[datetime, datetime | None] = {}
    if in_force is not None:
        ends[in_force[1]] = pending[1] if pending else None
    if pending is not None:
        ends[pending[1]] = None
    if before_in_force is not None and before_in_force[1] not in ends:
        ends[before_in_force[1]] = in_force[1] if in_force else None  # ended when the pending change took effect
    if before_pending is not None and before_pending[1] not in ends:
        ends[before_pending[1]] = before_pending[1]  # cancelled before it took effect
    known: dict[datetime, datetime | None] = {}
    if before_in_force is not None:
        known[before_in_force[1]] = before_pending[1] if before_pending else None
    if before_pending is not None:
        known[before_pending[1]] = None
    writes = [(since, end) for since, end in ends.items() if since in known and (rerun or known[since] != end)]
    return Step(effective_from, effective_to, in_force, pending, writes, announced)


def summarise(summary: RunSummary) -> Iterable[str]:
    """Lines for the command's output."""
    yield f"{summary.day.isoformat()}: {summary.units:,} units assessed"
    for framework, provinces in sorted(summary.frameworks.items()):
        yield f"  framework {framework}: {len(provinces)} province(s)"
    if summary.skipped_provinces:
        yield f"  no framework in force (directives 15/16/19 only): {', '.join(summary.skipped_provinces)}"
    yield "  levels: " + ", ".join(f"{colour} {count:,}" for colour, count in summary.by_colour.most_common())
    if summary.without_level:
        yield f"  without a level (missing inputs): {summary.without_level:,}"
        yield "  most missing: " + ", ".join(f"{name} ({count:,})" for name, count in summary.missing.most_common(8))
    yield (
        f"  changes announced: {summary.changes_announced:,}; scenario switches: {summary.scenario_switches}, "
        f"tasks created: {summary.tasks_created}"
    )
    yield "  seconds: " + ", ".join(f"{name} {value:.2f}" for name, value in summary.seconds.items())
