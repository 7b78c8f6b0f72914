from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TestingConfig(AppConfig):
    name = "chongdich.testing"
    label = "testing"
    verbose_name = _("Testing")

    def ready(self):
        from chongdich.core.panels import register_person_extras
        from chongdich.testing.person_extras import testing_extras

        register_person_extras(testing_extras)
        from chongdich.tallies.registry import register
        from chongdich.testing import imports  # noqa: F401 - registers the lab result import
        from chongdich.testing.models import Sample

        register(Sample)
        from chongdich.surveillance.handoffs import register_sample_lookup
        from chongdich.testing.case_start import case_start

        register_sample_lookup(case_start)
