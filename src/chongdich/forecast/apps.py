from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ForecastConfig(AppConfig):
    name = "chongdich.forecast"
    label = "forecast"
    verbose_name = _("Forecasts and early warning")

    def ready(self):
        pass
