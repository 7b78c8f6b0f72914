from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "chongdich.territory"
    label = "territory"
    verbose_name = _("Territory")

    def ready(self):
        from chongdich.territory import imports  # noqa: F401 - registers the importers
