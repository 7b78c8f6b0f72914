"""Make the portal's level-change announcements from the risk module's announced changes.

Run after the daily assessment (``assess_risk``); the public pages also run it at most once a minute.
"""

from django.core.management.base import BaseCommand

from chongdich.portal.actions import do_sync_level_announcements


class Command(BaseCommand):
    help = "Announce on the public portal each level change the daily assessment announced (48 hours ahead)."

    def handle(self, *args, **options):
        result = do_sync_level_announcements()
        self.stdout.write(f"level-change announcements: {result['created']} new, {result['cancelled']} cancelled")
