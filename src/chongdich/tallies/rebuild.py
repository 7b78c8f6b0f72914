"""Recompute every tally from the records (``rebuild_tallies``): daily, cluster and vaccination tallies.

Daily and cluster tallies are the sum of every record's ``tally_contributions()``.  Vaccination
tallies come from millions of doses: their sources register a *grouped* queryset (``registry.GROUPED``)
and the rebuild is one ``INSERT … SELECT … GROUP BY`` per source, mapping each record to its tally
unit (its commune by code, else its own unit, as ``engine.UNITS.of`` does) in SQL.  The check
(``differences``) reads the same grouped query, so a write that bypassed ``tracked`` or a
contribution that disagrees with the grouped query both show as differences.

Daily tallies of high-volume event tables (``registry.GROUPED_DAILY``: passages, check-ins,
declarations) are read the same way: one grouped SELECT per source mapped to the tally unit, merged
with the per-record sums into the ``DailyTally`` rows.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from django.db import connection, transaction

from chongdich.tallies.engine import (
    CLUSTER_FIELDS,
    CUMULATIVE_TESTS,
    RUNNING_TOTALS,
    UNITS,
    ClusterKey,
    CumulativeKey,
    GroupCumulativeKey,
    VaccinationKey,
    cumulative_deltas,
    group_deltas,
    total,
    vaccination_key,
)
from chongdich.tallies.models import (
    ALL_FIELDS,
    CUMULATIVE_FIELDS,
    GROUP_CUMULATIVE_FIELDS,
    VACCINATION_FIELDS,
    VACCINATION_KEY,
    ClusterTally,
    DailyTally,
    VaccinationCumulative,
    VaccinationGroupCumulative,
    VaccinationTally,
    quoted,
)
from chongdich.tallies.registry import FLOORS, GROUPED, GROUPED_DAILY, SOURCES
from chongdich.territory.models import AdminUnit, Level

CLUSTER_KEY = ("cluster_id", "commune_code", "setting", "source_known", "day")
VACCINATION_COLUMNS = ("unit_id", "unit_path", "province_code", "day", *VACCINATION_KEY, *VACCINATION_FIELDS)


def expected_tallies(progress=None) -> Counter:
    """Every tally as recomputed from the records (the grouped sources through their grouped query)."""
    result = expected_tallies_per_record(progress)
    result.update(expected_grouped_daily(progress))
    for model, grouped in GROUPED.items():
        rows = _grouped_rows(grouped())
        for unit_id, _path, _province, day, *rest in rows:
            key = vaccination_key(rest[: len(VACCINATION_KEY)])
            for field, value in zip(VACCINATION_FIELDS, rest[len(VACCINATION_KEY) :], strict=True):
                if value:
                    result[VaccinationKey(unit_id, day, *key, field)] += value
        if progress:
            progress(f"{model._meta.label}: {len(rows):,} grouped rows")
    result.update(cumulative_of(result))
    return result


def cumulative_of(tallies: Counter) -> Counter:
    """The running totals (``CumulativeKey`` per product, ``GroupCumulativeKey`` per priority group)
    that vaccination tallies {VaccinationKey: value} give: for each unit and product (group), the
    cumulative counts as of each day on which one of them changed."""
    per_product: dict[tuple, Counter] = {}
    per_group: dict[tuple, Counter] = {}
    for key, value in tallies.items():
        if not isinstance(key, VaccinationKey) or not value:
            continue
        if key.field == "doses":
            per_product.setdefault((key.unit_id, key.product, key.day), Counter()).update(
                cumulative_deltas(key[2:-1], value)
            )
        if key.priority_group:
            per_group.setdefault((key.unit_id, key.priority_group, key.day), Counter()).update(
                group_deltas(key[2:-1], key.field, value)
            )
    result: Counter = Counter()
    for per_day, fields, make in (
        (per_product, CUMULATIVE_FIELDS, CumulativeKey),
        (per_group, GROUP_CUMULATIVE_FIELDS, GroupCumulativeKey),
    ):
        running: dict[tuple, Counter] = {}
        for (unit_id, value, day), deltas in sorted(per_day.items()):
            if not any(deltas.values()):
                continue
            totals = running.setdefault((unit_id, value), Counter())
            totals.update(deltas)
            for field in fields:
                if totals[field]:
                    result[make(unit_id, value, day, field)] = totals[field]
    return result


def stored_cumulative() -> Counter:
    """The stored running totals, without the rows that repeat the row before them (a change that
    was undone leaves such a row; it reads the same)."""
    result: Counter = Counter()
    for running, make in zip(RUNNING_TOTALS, (CumulativeKey, GroupCumulativeKey), strict=True):
        previous: dict[tuple, tuple] = {}
        rows = running.model.objects.order_by("unit_id", running.column, "day").values_list(
            "unit_id", running.column, "day", *running.fields
        )
        for unit_id, value, day, *figures in rows.iterator(chunk_size=5000):
            figures = tuple(figures)
            if previous.get((unit_id, value), (0,) * len(figures)) == figures:
                continue
            previous[(unit_id, value)] = figures
            for field, figure in zip(running.fields, figures, strict=True):
                if figure:
                    result[make(unit_id, value, day, field)] = figure
    return result


def stored_tallies() -> Counter:
    result: Counter = Counter()
    for row in DailyTally.objects.values("unit_id", "day", *ALL_FIELDS):
        for field in ALL_FIELDS:
            if row[field]:
                result[(row["unit_id"], row["day"], field)] = row[field]
    for row in ClusterTally.objects.values_list(*CLUSTER_KEY, *CLUSTER_FIELDS):
        for field, value in zip(CLUSTER_FIELDS, row[len(CLUSTER_KEY) :], strict=True):
            if value:
                result[ClusterKey(*row[: len(CLUSTER_KEY)], field)] = value
    for row in VaccinationTally.objects.values_list("unit_id", "day", *VACCINATION_KEY, *VACCINATION_FIELDS):
        key = vaccination_key(row[2 : 2 + len(VACCINATION_KEY)])
        for field, value in zip(VACCINATION_FIELDS, row[2 + len(VACCINATION_KEY) :], strict=True):
            if value:
                result[VaccinationKey(row[0], row[1], *key, field)] += value
    result.update(stored_cumulative())
    return result


def _grouped_select(queryset) -> tuple[str, list]:
    """The SELECT of vaccination tally rows (``VACCINATION_COLUMNS``) from a source's grouped
    queryset: the tally unit is the commune whose code the record carries, else the record's unit."""
    inner, params = queryset.query.sql_with_params()
    names = {*queryset.query.values_select, *queryset.query.annotation_select}
    missing = {"commune_code", "unit_id", "day", *VACCINATION_KEY} - names
    if missing:
        raise ValueError(f"grouped vaccination source lacks {sorted(missing)}")
    sums = ", ".join(f"SUM(g.{f})" if f in names else "0" for f in VACCINATION_FIELDS)
    units = AdminUnit._meta.db_table
    keys = ", ".join(f"g.{k}" for k in VACCINATION_KEY)
    positions = ", ".join(str(n) for n in range(1, 5 + len(VACCINATION_KEY)))
    sql = (
        f"SELECT COALESCE(c.id, u.id), COALESCE(c.path, u.path), COALESCE(c.province_code, u.province_code), "  # noqa: S608 - fixed SQL
        f"g.day, {keys}, {sums} FROM ({inner}) g JOIN {units} u ON u.id = g.unit_id "
        f"LEFT JOIN {units} c ON c.code = g.commune_code AND c.level = %s "
        f"WHERE 1 = 1 GROUP BY {positions}"
    )
    return sql, [*params, Level.COMMUNE.value]


def _grouped_rows(queryset) -> list[tuple]:
    sql, params = _grouped_select(queryset)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if connection.vendor == "sqlite":  # dates come back as text from an aggregate subquery
        rows = [(*row[:3], _as_date(row[3]), *row[4:]) for row in rows]
    return rows


def _daily_select(queryset) -> tuple[str, list[str], list]:
    """The SELECT of daily tally sums (unit id, day, one column per field) from a source's grouped
    daily queryset, the tally unit mapped as ``engine.UNITS.of`` does: the commune whose code the
    record carries, else the record's unit.  Returns (sql, fields, params)."""
    inner, params = queryset.query.sql_with_params()
    names = {*queryset.query.values_select, *queryset.query.annotation_select}
    missing = {"commune_code", "unit_id", "day"} - names
    if missing:
        raise ValueError(f"grouped daily source lacks {sorted(missing)}")
    fields = [f for f in ALL_FIELDS if f in names]
    unknown = names - {"commune_code", "unit_id", "day", *ALL_FIELDS}
    if unknown or not fields:
        raise ValueError(f"grouped daily source: columns {sorted(unknown)} are no tally field")
    sums = ", ".join(f"SUM(g.{f})" for f in fields)
    units = AdminUnit._meta.db_table
    sql = (
        f"SELECT COALESCE(c.id, g.unit_id), g.day, {sums} FROM ({inner}) g "  # noqa: S608 - fixed SQL
        f"LEFT JOIN {units} c ON c.code = g.commune_code AND c.level = %s AND g.commune_code <> '' "
        f"GROUP BY 1, 2"
    )
    return sql, fields, [*params, Level.COMMUNE.value]


def expected_grouped_daily(progress=None) -> Counter:
    """The daily tallies of the grouped daily sources {(unit_id, day, field): value}."""
    result: Counter = Counter()
    for model, grouped in GROUPED_DAILY.items():
        sql, fields, params = _daily_select(grouped())
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        for unit_id, day, *values in rows:
            day = _as_date(day)
            for field, value in zip(fields, values, strict=True):
                if value:
                    result[(unit_id, day, field)] += int(value)
        if progress:
            progress(f"{model._meta.label}: {len(rows):,} grouped daily rows")
    return _with_floors(result)


def _with_floors(result: Counter) -> Counter:
    """Days whose source rows a retention purge deleted (``registry.FLOORS``: fields and the first day
    kept) keep their stored figures: the counts outlive the personal data they were made from."""
    for fields, first_kept in (provider() for provider in FLOORS):
        for key in [k for k in result if k[2] in fields and k[1] < first_kept]:
            del result[key]
        stored = DailyTally.objects.filter(day__lt=first_kept).values_list("unit_id", "day", *fields)
        for unit_id, day, *values in stored:
            for field, value in zip(fields, values, strict=True):
                if value:
                    result[(unit_id, day, field)] = value
    return result


def _as_date(value) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def _insert_grouped(queryset) -> int:
    sql, params = _grouped_select(queryset)
    table = VaccinationTally._meta.db_table
    keys = ", ".join(["unit_id", "day", *VACCINATION_KEY])
    updates = ", ".join(f"{f} = {table}.{f} + excluded.{f}" for f in VACCINATION_FIELDS)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(VACCINATION_COLUMNS)}) {sql} "  # noqa: S608 - fixed SQL
            f"ON CONFLICT ({keys}) DO UPDATE SET {updates}",
            params,
        )
        return max(cursor.rowcount, 0)


@transaction.atomic
def rebuild(progress=None) -> int:
    """Replace all tallies by the sum of the records' contributions; returns the number of rows."""
    expected = expected_tallies_per_record(progress)
    expected.update(expected_grouped_daily(progress))
    rows: dict = {}
    clusters: dict = {}
    for key, value in expected.items():
        if not value:
            continue
        if isinstance(key, ClusterKey):
            clusters.setdefault(key[: len(CLUSTER_KEY)], {})[key.field] = value
        else:
            unit_id, day, field = key
            rows.setdefault((unit_id, day), {})[field] = value
    DailyTally.objects.all().delete()
    ClusterTally.objects.all().delete()
    objects = []
    for (unit_id, day), values in rows.items():
        path, province = UNITS.path_and_province(unit_id)
        objects.append(DailyTally(unit_id=unit_id, unit_path=path, province_code=province, day=day, **values))
    DailyTally.objects.bulk_create(objects, batch_size=5000)
    cluster_rows = [
        ClusterTally(**dict(zip(CLUSTER_KEY, key, strict=True)), **values) for key, values in clusters.items()
    ]
    ClusterTally.objects.bulk_create(cluster_rows, batch_size=5000)
    return len(objects) + len(cluster_rows) + rebuild_vaccination(progress)


def expected_tallies_per_record(progress=None) -> Counter:
    """The daily and cluster tallies summed record by record (the sources without a grouped query)."""
    result: Counter = Counter()
    for model, queryset in SOURCES.items():
        if model in GROUPED or model in GROUPED_DAILY:
            continue
        count = 0
        for record in queryset().iterator(chunk_size=2000):
            result.update(total(record.tally_contributions()))
            count += 1
        if progress:
            progress(f"{model._meta.label}: {count:,} records")
    return result


def rebuild_vaccination(progress=None) -> int:
    """Replace the vaccination tallies: one grouped INSERT … SELECT per registered source (a grouped
    source counts records, so no row it inserts is empty)."""
    total_rows = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # Checks deferred until commit (foreign keys of rows written earlier in the
                # transaction) must run first: TRUNCATE refuses a table with pending trigger events.
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {VaccinationTally._meta.db_table}")
        else:
            VaccinationTally.objects.all().delete()
        for model, grouped in GROUPED.items():
            inserted = _insert_grouped(grouped())
            total_rows += inserted
            if progress:
                progress(f"{model._meta.label}: {inserted:,} vaccination tally rows")
        cumulative = rebuild_cumulative()
        if progress:
            progress(f"{cumulative:,} cumulative vaccination rows")
    return total_rows + cumulative


def cumulative_select(tally_table: str) -> str:
    """SELECT the running totals per product from the vaccination tallies: the day's sums per unit
    and product, summed over the days up to it with a window ``SUM`` (PostgreSQL and SQLite ≥ 3.25)."""
    daily = ", ".join(
        f'SUM(CASE WHEN {sql} THEN doses ELSE 0 END) AS "{name}"' for name, (_test, sql) in CUMULATIVE_TESTS.items()
    )
    return _running(tally_table, "product", daily, CUMULATIVE_FIELDS, "doses <> 0")


def group_cumulative_select(tally_table: str) -> str:
    """SELECT the running totals per priority group (``VaccinationGroupCumulative``)."""
    daily = (
        'SUM(enrolled) AS "enrolled", '
        "SUM(CASE WHEN kind = 'primary' AND number = 1 THEN doses ELSE 0 END) AS \"dose1\", "
        'SUM(CASE WHEN completes_primary THEN doses ELSE 0 END) AS "full"'
    )
    return _running(tally_table, "priority_group", daily, GROUP_CUMULATIVE_FIELDS, "priority_group <> ''")


def _running(tally_table: str, column: str, daily: str, fields, where: str) -> str:
    running = ", ".join(
        f'SUM("{name}") OVER (PARTITION BY unit_id, {column} ORDER BY day ROWS UNBOUNDED PRECEDING)' for name in fields
    )
    return (
        f"SELECT unit_id, unit_path, province_code, {column}, day, {running} FROM ("  # noqa: S608 - fixed SQL
        f"SELECT unit_id, unit_path, province_code, {column}, day, {daily} FROM {tally_table} "
        f"WHERE {where} GROUP BY unit_id, unit_path, province_code, {column}, day) d"
    )


def fill_running_totals(cursor, tables: dict[str, str]) -> int:
    """INSERT both running totals from the vaccination tallies (``tables``: model name → table)."""
    rows = 0
    tally = tables["VaccinationTally"]
    for name, running, select in (
        ("VaccinationCumulative", RUNNING_TOTALS[0], cumulative_select),
        ("VaccinationGroupCumulative", RUNNING_TOTALS[1], group_cumulative_select),
    ):
        columns = ", ".join(["unit_id", "unit_path", "province_code", running.column, "day", *quoted(running.fields)])
        cursor.execute(f"INSERT INTO {tables[name]} ({columns}) {select(tally)}")  # noqa: S608 - fixed SQL
        rows += max(cursor.rowcount, 0)
    return rows


def rebuild_cumulative() -> int:
    """Replace the running totals by the window sums of the vaccination tallies."""
    tables = {
        model.__name__: model._meta.db_table
        for model in (VaccinationTally, VaccinationCumulative, VaccinationGroupCumulative)
    }
    with transaction.atomic(), connection.cursor() as cursor:
        for running in RUNNING_TOTALS:
            table = running.model._meta.db_table
            if connection.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                cursor.execute(f"TRUNCATE {table}")
            else:
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - fixed SQL
        return fill_running_totals(cursor, tables)


def differences() -> dict:
    """Where stored and recomputed tallies disagree (empty when all is well)."""
    expected, stored = expected_tallies(), stored_tallies()
    keys = set(expected) | set(stored)
    return {
        key: (stored.get(key, 0), expected.get(key, 0)) for key in keys if stored.get(key, 0) != expected.get(key, 0)
    }
