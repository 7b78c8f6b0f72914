"""Monthly range partitions of the append-only event tables (passages, check-ins, declarations).

On PostgreSQL an event table is a native partitioned table (``PARTITION BY RANGE`` on its time column)
with one partition per calendar month and a default partition that catches a row whose month has no
partition yet (the daily task creates the months ahead, so it stays empty).  A retention purge drops
whole months (``DROP TABLE`` of a partition: constant time whatever its size) and deletes the rows of
the one month that is only partly expired.  On SQLite the same tables are plain tables; the purge is a
``DELETE``.

The migration creates the model as usual, then ``PartitionByMonth`` rebuilds the (still empty) table as
a partitioned one: same columns, defaults and identity, the primary key widened to (id, time column) as
PostgreSQL requires, the model's indexes recreated on the parent (PostgreSQL creates them on every
partition).  A unique constraint must contain the time column; none of the event models declares one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection, migrations, transaction
from django.utils import timezone

from chongdich.core import clock

# The first month that gets a partition when the table is created (the epidemic's start).
FIRST_MONTH = date(2020, 1, 1)
MONTHS_AHEAD = 3


def month_start(day: date) -> date:
    return day.replace(day=1)


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def partition_name(table: str, month: date) -> str:
    return f"{table}_p{month:%Y%m}"


def _bound(month: date) -> str:
    """A partition bound for a timestamptz column: midnight at the deployment's time zone."""
    return timezone.make_aware(datetime.combine(month, time.min)).isoformat()


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


@dataclass(frozen=True)
class Partition:
    name: str
    month: date | None  # None for the default partition
    rows: int | None = None


def is_partitioned(table: str, using=None) -> bool:
    conn = using or connection
    if conn.vendor != "postgresql":
        return False
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid WHERE c.relname = %s", [table]
        )
        return cursor.fetchone() is not None


def partitions(table: str, using=None) -> list[Partition]:
    """The month partitions of ``table`` (and its default partition), oldest first; [] on SQLite."""
    conn = using or connection
    if not is_partitioned(table, conn):
        return []
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s ORDER BY c.relname",
            [table],
        )
        names = [row[0] for row in cursor.fetchall()]
    result = []
    prefix = f"{table}_p"
    for name in names:
        suffix = name[len(prefix) :] if name.startswith(prefix) else ""
        month = date(int(suffix[:4]), int(suffix[4:6]), 1) if len(suffix) == 6 and suffix.isdigit() else None
        result.append(Partition(name, month))
    return sorted(result, key=lambda p: (p.month is None, p.month or date.min))


def partition_column(table: str, using=None) -> str:
    """The column ``table`` is partitioned on."""
    conn = using or connection
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT a.attname FROM pg_partitioned_table p JOIN pg_class c ON c.oid = p.partrelid "
            "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0] WHERE c.relname = %s",
            [table],
        )
        return cursor.fetchone()[0]


def ensure_months(table: str, first: date, last: date, using=None) -> list[str]:
    """Create the month partitions of ``table`` from ``first``'s month to ``last``'s (those missing).
    Rows of such a month that went into the default partition meanwhile are moved into the new month
    (PostgreSQL refuses to create a partition whose rows sit in the default one).  Returns the names
    created.  Idempotent; a no-op on SQLite."""
    conn = using or connection
    if not is_partitioned(table, conn):
        return []
    existing = {p.month for p in partitions(table, conn)}
    column = None
    created = []
    month = month_start(first)
    while month <= last:
        if month not in existing:
            column = column or partition_column(table, conn)
            _create_month(conn, table, column, month)
            created.append(partition_name(table, month))
        month = next_month(month)
    return created


def _create_month(conn, table: str, column: str, month: date) -> None:
    name, default = partition_name(table, month), f"{table}_default"
    bounds = [_bound(month), _bound(next_month(month))]
    with transaction.atomic(using=conn.alias), conn.cursor() as cursor:
        cursor.execute(
            f"SELECT EXISTS (SELECT 1 FROM {_quote(default)} WHERE {_quote(column)} >= %s AND {_quote(column)} < %s)",
            bounds,
        )
        if not cursor.fetchone()[0]:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {_quote(name)} PARTITION OF {_quote(table)} FOR VALUES FROM (%s) TO (%s)",
                bounds,
            )
            return
        # Rows of this month in the default partition: move them into the month's new table, then attach it.
        cursor.execute(f"LOCK TABLE {_quote(table)} IN SHARE ROW EXCLUSIVE MODE")
        cursor.execute(f"CREATE TABLE {_quote(name)} (LIKE {_quote(table)} INCLUDING DEFAULTS INCLUDING CONSTRAINTS)")
        cursor.execute(
            f"WITH moved AS (DELETE FROM {_quote(default)} WHERE {_quote(column)} >= %s AND {_quote(column)} < %s "
            f"RETURNING *) INSERT INTO {_quote(name)} SELECT * FROM moved",
            bounds,
        )
        cursor.execute(
            f"ALTER TABLE {_quote(table)} ATTACH PARTITION {_quote(name)} FOR VALUES FROM (%s) TO (%s)", bounds
        )


def drop_months_before(table: str, cutoff: date, using=None) -> list[str]:
    """Drop every month partition of ``table`` that ends on or before ``cutoff`` (all its rows are older
    than the cutoff).  Returns the names dropped; [] on SQLite."""
    conn = using or connection
    dropped = []
    with conn.cursor() as cursor:
        for partition in partitions(table, conn):
            if partition.month is not None and next_month(partition.month) <= cutoff:
                cursor.execute(f"DROP TABLE {_quote(partition.name)}")
                dropped.append(partition.name)
    return dropped


class PartitionByMonth(migrations.operations.base.Operation):
    """Rebuild the just-created, empty table of ``model_name`` as a table partitioned by month on
    ``column`` (PostgreSQL only; SQLite keeps the plain table)."""

    reduces_to_sql = False
    reversible = True

    def __init__(self, model_name: str, column: str):
        self.model_name = model_name
        self.column = column

    def deconstruct(self):
        return (self.__class__.__qualname__, [], {"model_name": self.model_name, "column": self.column})

    def state_forwards(self, app_label, state):
        pass

    def describe(self):
        return f"Partition {self.model_name} by month of {self.column} (PostgreSQL)"

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        conn = schema_editor.connection
        if conn.vendor != "postgresql":
            return
        model = to_state.apps.get_model(app_label, self.model_name)
        table = model._meta.db_table
        pk = model._meta.pk.column
        temporary = f"{table}__partitioned"
        with conn.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexname <> %s", [table, f"{table}_pkey"]
            )
            index_definitions = [row[0] for row in cursor.fetchall()]
            cursor.execute(
                f"CREATE TABLE {_quote(temporary)} (LIKE {_quote(table)} INCLUDING DEFAULTS INCLUDING IDENTITY "
                f"INCLUDING CONSTRAINTS INCLUDING STORAGE) PARTITION BY RANGE ({_quote(self.column)})"
            )
            cursor.execute(f"DROP TABLE {_quote(table)} CASCADE")
            cursor.execute(f"ALTER TABLE {_quote(temporary)} RENAME TO {_quote(table)}")
            cursor.execute(
                f"ALTER TABLE {_quote(table)} ADD CONSTRAINT {_quote(table + '_pkey')} "
                f"PRIMARY KEY ({_quote(pk)}, {_quote(self.column)})"
            )
            for definition in index_definitions:
                if definition.upper().startswith("CREATE UNIQUE"):
                    raise ValueError(f"{table}: a unique index must include {self.column}: {definition}")
                cursor.execute(definition)
            cursor.execute(f"CREATE TABLE {_quote(table + '_default')} PARTITION OF {_quote(table)} DEFAULT")
        ensure_months(table, FIRST_MONTH, horizon(), conn)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass  # the model's DeleteModel drops the partitioned table with its partitions


def horizon() -> date:
    """The last month that must have a partition: MONTHS_AHEAD after the later of the system's day
    (pinned for the demo and drills) and the real one (record times stay real)."""
    return _months_after(max(clock.today(), timezone.now().date()), MONTHS_AHEAD)


def _months_after(day: date, months: int) -> date:
    month = month_start(day)
    for _ in range(months):
        month = next_month(month)
    return month
