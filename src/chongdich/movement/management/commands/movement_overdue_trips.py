from django.core.management.base import BaseCommand

from chongdich.movement.actions.greenlane import raise_overdue_trips


class Command(BaseCommand):
    help = (
        "Raise an alert to the destination commune for every green-lane trip not confirmed by its expected "
        "arrival plus the province's grace period (idempotent; the worker also runs it every 15 minutes)."
    )

    def handle(self, *args, **options):
        raised = raise_overdue_trips()
        self.stdout.write(f"overdue trips alerted: {raised}")
