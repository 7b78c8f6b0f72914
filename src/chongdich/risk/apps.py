from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RiskAppConfig(AppConfig):
    name = "chongdich.risk"
    label = "risk"
    verbose_name = _("Risk levels")
