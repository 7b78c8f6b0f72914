from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "chongdich.territory"
    label = "territory"
    verbose_name = _("Territory")

    def ready(self):
        from chongdich.core.scoping import register_unit_lookup
        from chongdich.territory import imports  # noqa: F401 - registers the importers
        from chongdich.territory.selectors import unit_by_code

        register_unit_lookup(unit_by_code)
