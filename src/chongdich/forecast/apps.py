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
        # -- watch: the kinds of notice the watch publishes; level rises sent after each risk assessment;
        # the frequent check of the other apps' alerts started by the daily assessment's settle steps.
        from chongdich.forecast.tasks import schedule_watch
        from chongdich.forecast.watch import on_day_assessed
        from chongdich.forecast.watch.kinds import register_kinds
        from chongdich.risk.signals import day_assessed
        from chongdich.tallies.registry import register_settle

        register_kinds()
        day_assessed.connect(on_day_assessed, dispatch_uid="forecast-watch-levels", weak=False)
        register_settle(schedule_watch)
        # -- end watch ---------------------------------------------------------------------------------
