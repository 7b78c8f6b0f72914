"""Trigram index for "name contains" search on PostgreSQL (p95 < 100 ms at 1M people)."""

from django.db import migrations

from chongdich.core.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        PostgresOnlySQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop),
        PostgresOnlySQL(
            "CREATE INDEX IF NOT EXISTS person_folded_name_trgm ON people_person USING gin (folded_name gin_trgm_ops)",
            reverse_sql="DROP INDEX IF EXISTS person_folded_name_trgm",
        ),
    ]
