from django.conf import settings
from django.core.management.base import BaseCommand

from chongdich.core import audit
from chongdich.territory.actions import derive_adjacency
from chongdich.territory.loaders import STRUCTURES, load_units


class Command(BaseCommand):
    help = "Load Vietnam's administrative units (legacy 63/696/10,035 or current 34/3,321) and derive adjacency."

    def add_arguments(self, parser):
        parser.add_argument("--structure", choices=STRUCTURES, default=settings.CHONGDICH_STRUCTURE)
        parser.add_argument("--no-adjacency", action="store_true", help="do not derive neighbours from centroids")

    def handle(self, *args, structure, no_adjacency, **options):
        result = load_units(structure, progress=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(
            self.style.SUCCESS(
                f"{structure}: {result.provinces} provinces, {result.districts} districts, {result.communes} communes"
            )
        )
        if not no_adjacency:
            pairs = derive_adjacency()
            self.stdout.write(f"derived neighbour pairs: {pairs:,}")
        audit.record(
            None,
            audit.AuditAction.IMPORT,
            None,
            object_type_label="territory.adminunit",
            detail={"structure": structure, "communes": result.communes},
            label="administrative units",
        )
