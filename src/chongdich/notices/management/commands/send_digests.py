from datetime import date

from django.core.management.base import BaseCommand, CommandError

from chongdich.core import clock
from chongdich.notices.outbox import send_digests


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--day must be a date YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Send each user one email with their unread notifications of a day (at most once per user and day)."

    def add_arguments(self, parser):
        parser.add_argument("--day", type=_day, default=None, help="the day (YYYY-MM-DD); today by default")

    def handle(self, *args, day=None, **options):
        result = send_digests(day or clock.today())
        self.stdout.write(f"digests sent: {result.sent}, to retry: {result.retried}, failed: {result.failed}")
