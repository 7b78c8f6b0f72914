from django.core.management.base import BaseCommand

from chongdich.movement import retention


class Command(BaseCommand):
    help = (
        "Delete the declarations, check-ins and passages older than CHONGDICH_MOVEMENT_RETENTION_DAYS: whole "
        "months by dropping their partitions, the rest by a batched DELETE.  The tallies keep their counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="only say what would be deleted")
        parser.add_argument("--batch", type=int, default=retention.BATCH, help="rows deleted per transaction")

    def handle(self, *args, dry_run, batch, **options):
        first_kept = retention.cutoff()
        self.stdout.write(
            f"retention {retention.retention_days()} days: rows before {first_kept:%d/%m/%Y} "
            + ("would be deleted" if dry_run else "are deleted")
        )
        for purged in retention.purge(batch=max(1, batch), dry_run=dry_run):
            dropped = f"{len(purged.dropped)} months dropped" + (
                f" ({', '.join(purged.dropped)})" if purged.dropped else ""
            )
            self.stdout.write(f"{purged.table}: {dropped}, {purged.deleted:,} rows deleted")
