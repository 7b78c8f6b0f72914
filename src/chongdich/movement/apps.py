from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementConfig(AppConfig):
    name = "chongdich.movement"
    label = "movement"
    verbose_name = _("Movement and declarations")

    def ready(self):
        # -- venues: candidate contacts from check-ins on a case's tracing page --------------------------
        from chongdich.movement.views.candidates import tracing_panel
        from chongdich.surveillance.tracing_sources import register as register_tracing_source

        register_tracing_source(tracing_panel)
        # -- end venues ---------------------------------------------------------------------------------------
