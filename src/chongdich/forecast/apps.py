from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForecastConfig(AppConfig):
    name = "chongdich.forecast"
    label = "forecast"
    verbose_name = _("Forecasts and early warning")

    def ready(self):
        # -- nightly: the nightly run is queued by the daily assessment's settle steps when the worker has
        # none; the core recovery pass marks failed a run whose process died.
        from chongdich.core import recovery
        from chongdich.forecast.nightly import fail_stale_runs
        from chongdich.forecast.tasks import schedule_next
        from chongdich.tallies.registry import register_settle

        register_settle(schedule_next)
        recovery.register(fail_stale_runs)
        # -- end nightly ---------------------------------------------------------------------------------
