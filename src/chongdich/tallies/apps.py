from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalliesConfig(AppConfig):
    name = "chongdich.tallies"
    label = "tallies"
    verbose_name = _("Tallies")

    def ready(self):
        from chongdich.tallies.engine import connect_unit_signals

        connect_unit_signals()
