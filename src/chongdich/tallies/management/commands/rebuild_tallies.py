from django.core.management.base import BaseCommand

from chongdich.tallies.engine import ClusterKey, CumulativeKey, GroupCumulativeKey, VaccinationKey
from chongdich.tallies.rebuild import differences, rebuild


def describe(key) -> str:
    if isinstance(key, ClusterKey):
        where = f" ({key.commune_code} {key.setting} {'known' if key.source_known else 'unknown'})"
        return f"cluster {key.cluster_id}{where if key.commune_code else ''} {key.day} {key.field}"
    if isinstance(key, GroupCumulativeKey):
        return f"unit {key.unit_id} {key.day} vaccination running total [group {key.priority_group}] {key.field}"
    if isinstance(key, CumulativeKey):
        return f"unit {key.unit_id} {key.day} vaccination running total [{key.product}] {key.field}"
    if isinstance(key, VaccinationKey):
        what = " ".join(str(part) for part in key[2:-1] if part not in ("", 0, False))
        return f"unit {key.unit_id} {key.day} vaccination [{what}] {key.field}"
    unit, day, field = key
    return f"unit {unit} {day} {field}"


class Command(BaseCommand):
    help = (
        "Recompute every per-commune daily tally and per-cluster tally from the records "
        "(cases, clusters, samples, stays, orders, beds) and the vaccination tallies (doses, priority-group "
        "enrolment; set-based)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="only report where stored tallies disagree")

    def handle(self, *args, check, **options):
        if check:
            diff = differences()
            for key, (stored, expected) in sorted(
                diff.items(), key=lambda item: (type(item[0]).__name__, str(item[0]))
            )[:50]:
                self.stdout.write(f"{describe(key)}: stored {stored}, expected {expected}")
            self.stdout.write(
                self.style.SUCCESS("tallies agree") if not diff else self.style.ERROR(f"{len(diff)} differences")
            )
            return
        rows = rebuild(progress=lambda message: self.stdout.write(f"  {message}"))
        self.stdout.write(self.style.SUCCESS(f"rebuilt {rows:,} tally rows"))
