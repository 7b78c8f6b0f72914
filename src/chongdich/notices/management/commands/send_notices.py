from django.core.management.base import BaseCommand

from chongdich.notices.outbox import send_pending


class Command(BaseCommand):
    help = (
        "Send the notifications waiting in the outbox by email, SMS and Zalo (idempotent: what was sent is "
        "never sent again; failed attempts are retried after a backoff)."
    )

    def handle(self, *args, **options):
        result = send_pending()
        self.stdout.write(f"sent: {result.sent}, to retry: {result.retried}, failed: {result.failed}")
