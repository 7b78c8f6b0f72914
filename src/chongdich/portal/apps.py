from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "chongdich.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from chongdich.portal.actions import announce_level_changes
        from chongdich.risk.signals import day_assessed

        day_assessed.connect(announce_level_changes, dispatch_uid="portal-level-announcements", weak=False)
