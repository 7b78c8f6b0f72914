from django.core.management.base import BaseCommand

from chongdich.tallies.rebuild import differences, rebuild


class Command(BaseCommand):
    help = "Recompute every per-commune daily tally from the records (cases, samples, stays, orders, beds)."

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="only report where stored tallies disagree")

    def handle(self, *args, check, **options):
        if check:
            diff = differences()
            for (unit, day, field), (stored, expected) in sorted(diff.items())[:50]:
                self.stdout.write(f"unit {unit} {day} {field}: stored {stored}, expected {expected}")
            self.stdout.write(
                self.style.SUCCESS("tallies agree") if not diff else self.style.ERROR(f"{len(diff)} differences")
            )
            return
        rows = rebuild(progress=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS(f"rebuilt {rows:,} tally rows"))
