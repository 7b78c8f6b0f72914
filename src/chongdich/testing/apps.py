from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestingConfig(AppConfig):
    name = "chongdich.testing"
    label = "testing"
    verbose_name = _("Testing")

    def ready(self):
        from chongdich.tallies.registry import register
        from chongdich.testing.models import Sample

        register(Sample)
