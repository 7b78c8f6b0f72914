"""Planner statistics after bulk writes.

PostgreSQL plans from statistics that autovacuum refreshes only after a commit.  A long job that
fills tables inside one transaction (the demo generator, a test) would otherwise be planned as if
the tables were empty — nested loops over 70,000 people instead of index lookups, minutes instead
of seconds.  ANALYZE inside the transaction sees the transaction's own rows.
"""

from __future__ import annotations

from django.db import connection


def analyze(*models) -> None:
    """Refresh the planner's statistics of these models' tables (PostgreSQL; a no-op elsewhere)."""
    if connection.vendor != "postgresql" or not models:
        return
    tables = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in models)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {tables}")
