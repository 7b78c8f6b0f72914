from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from chongdich.risk.assess import assess_day, summarise


class Command(BaseCommand):
    help = (
        "Assess the risk level of every commune, district, province and the nation for a day "
        "(default today) from tallies and records, and store the results (a re-run replaces the day)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: today)")
        parser.add_argument(
            "--framework",
            choices=["2686", "4800", "218"],
            default=None,
            help="force a framework (default: the one in force on the date, per province)",
        )

    def handle(self, *args, date=None, framework=None, **options):
        try:
            summary = assess_day(date, framework=framework)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for line in summarise(summary):
            self.stdout.write(line)
