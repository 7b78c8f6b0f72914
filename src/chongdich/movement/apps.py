from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementConfig(AppConfig):
    name = "chongdich.movement"
    label = "movement"
    verbose_name = _("Movement and declarations")

    def ready(self):
        # -- alerts: tallies of the event tables (set-based rebuild) and of the alerts ---------------
        from chongdich.movement.models import Alert, CheckIn, Declaration, Passage
        from chongdich.movement.selectors import tallies
        from chongdich.tallies.registry import register

        register(Passage, grouped_daily=tallies.grouped_passages)
        register(CheckIn, grouped_daily=tallies.grouped_checkins)
        register(Declaration, grouped_daily=tallies.grouped_declarations)
        register(Alert)
        # -- end alerts ----------------------------------------------------------------------------
