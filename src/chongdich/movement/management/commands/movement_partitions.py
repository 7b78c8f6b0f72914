from django.core.management.base import BaseCommand

from chongdich.core import partitioning
from chongdich.movement import retention


class Command(BaseCommand):
    help = (
        "Create the month partitions of the event tables (passages, check-ins, declarations) from this month "
        f"to {partitioning.MONTHS_AHEAD} months ahead (PostgreSQL; nothing to do on SQLite), then list them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--list", action="store_true", help="only list the partitions")

    def handle(self, *args, list, **options):  # noqa: A002 - the option's name
        if not list:
            created = retention.ensure_partitions()
            self.stdout.write(f"created {len(created)} partitions" + (f": {', '.join(created)}" if created else ""))
        for model in retention.EVENT_MODELS:
            table = model._meta.db_table
            parts = partitioning.partitions(table)
            if not parts:
                self.stdout.write(f"{table}: not partitioned (SQLite)")
                continue
            months = [p.month for p in parts if p.month]
            self.stdout.write(f"{table}: {len(months)} months, {months[0]:%Y-%m} to {months[-1]:%Y-%m}, and a default")
