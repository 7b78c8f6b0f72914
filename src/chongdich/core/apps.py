from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "chongdich.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from chongdich.core import lookups  # noqa: F401 - registers __word_prefixes on CharField
