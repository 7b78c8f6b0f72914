from django.core.management.base import BaseCommand

from chongdich.care.actions.expiry import end_due


class Command(BaseCommand):
    help = (
        "End home quarantine and self-monitoring orders and quarantine stays whose planned end has passed "
        "(idempotent; the worker also runs it every night)."
    )

    def handle(self, *args, **options):
        ended = end_due()
        self.stdout.write(f"stays discharged: {ended.stays}, orders completed: {ended.orders}")
