"""Word-prefix name search on PostgreSQL: a full-text GIN index over the folded name.

"nguyen van an" becomes the tsquery 'nguyen:* & van:* & an:*', which this index answers in a few
milliseconds at a million people (bench/bench_people.py).  SQLite falls back to LIKE.
"""

from django.db import migrations

from chongdich.core.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [
        PostgresOnlySQL(
            "CREATE INDEX IF NOT EXISTS person_folded_name_words ON people_person "
            "USING gin (to_tsvector('simple'::regconfig, folded_name))",
            reverse_sql="DROP INDEX IF EXISTS person_folded_name_words",
        ),
    ]
