from django.core.management.base import BaseCommand

from chongdich.surveillance.rebuild import rebuild_chains


class Command(BaseCommand):
    help = "Recompute every transmission chain (connected groups of cases linked by exposures)."

    def handle(self, *args, **options):
        self.stdout.write(self.style.SUCCESS(f"{rebuild_chains():,} chains"))
