from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "chongdich.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from chongdich.risk.signals import day_assessed

        def announce_level_changes(sender, day, **kwargs):
            from chongdich.portal.actions import do_sync_level_announcements

            do_sync_level_announcements()

        day_assessed.connect(announce_level_changes, dispatch_uid="portal-level-announcements", weak=False)
