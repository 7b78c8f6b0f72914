"""Inserting thousands of new rows, with their history, as fast as the database allows.

On PostgreSQL the ids are taken from the table's sequence in one query and the rows are sent with
COPY, which psycopg formats in C; ``bulk_create`` (UNNEST arrays) quotes every JSON string in Python,
and a plan's reasons are long: that quoting was most of the time of a 10,000-person order.  Values
go to psycopg as they are, except those whose field must convert them (JSON).  Elsewhere (SQLite)
it is ``bulk_create``.  History rows carry what django-simple-history's ``bulk_history_create``
would write ("+" rows with the user, date and reason).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.utils import timezone

BATCH = 2000
# Fields whose Python value psycopg takes as is (no conversion by Django needed).
PLAIN = (
    models.CharField,
    models.TextField,
    models.IntegerField,
    models.AutoField,
    models.BigAutoField,
    models.DateField,
    models.BooleanField,
    models.DecimalField,
    models.ForeignKey,
)


def _preparers(fields, connection) -> list[Callable[[Any], Any] | None]:
    prepared = []
    for field in fields:
        if isinstance(field, PLAIN) and not getattr(field, "auto_now", False):
            prepared.append(None)
        else:
            prepared.append(lambda value, field=field: field.get_db_prep_save(value, connection))
    return prepared


def _copy(model: type[models.Model], fields, rows: Iterable[list], connection) -> None:
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    prepare = _preparers(fields, connection)
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([v if p is None else p(v) for p, v in zip(prepare, row, strict=False)])


def _next_ids(model: type[models.Model], count: int, connection) -> list[int]:
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [meta.db_table, meta.pk.column, count],
        )
        return [pk for (pk,) in cursor.fetchall()]


def insert(model: type[models.Model], objs: Sequence[models.Model]) -> list[models.Model]:
    """Insert new ``objs`` (pk unset); returns them with their pk."""
    objs = list(objs)
    connection = connections[DEFAULT_DB_ALIAS]
    if not objs or connection.vendor != "postgresql":
        return model._default_manager.bulk_create(objs, batch_size=BATCH) if objs else objs
    for obj, pk in zip(objs, _next_ids(model, len(objs), connection), strict=True):
        obj.pk = pk
    fields = model._meta.concrete_fields
    _copy(model, fields, ([f.pre_save(obj, True) for f in fields] for obj in objs), connection)
    for obj in objs:
        obj._state.adding, obj._state.db = False, connection.alias
    return objs


def history(
    model: type[models.Model],
    objs: Sequence[models.Model],
    *,
    user=None,
    reason: str = "",
    when: datetime | None = None,
    kind: str = "+",
) -> int:
    """Write history rows of ``objs`` as they are now ("+" created, "~" changed); returns how many."""
    historical = model.history.model
    when = when or timezone.now()
    extra = {
        "history_date": when,
        "history_user_id": getattr(user, "pk", None),
        "history_change_reason": reason,
        "history_type": kind,
    }
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.vendor != "postgresql":
        rows = [
            historical(**extra, **{f.attname: getattr(obj, f.attname) for f in historical.tracked_fields})
            for obj in objs
        ]
        historical._default_manager.bulk_create(rows, batch_size=BATCH)
        return len(rows)
    fields = [f for f in historical._meta.concrete_fields if not f.primary_key]
    names = [f.attname for f in fields]
    ids = _next_ids(historical, len(objs), connection)
    pk = historical._meta.pk
    rows = (
        [history_id, *[extra[n] if n in extra else getattr(obj, n) for n in names]]
        for history_id, obj in zip(ids, objs, strict=True)
    )
    _copy(historical, [pk, *fields], rows, connection)
    return len(objs)
