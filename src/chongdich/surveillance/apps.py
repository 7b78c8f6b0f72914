from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveillanceConfig(AppConfig):
    name = "chongdich.surveillance"
    label = "surveillance"
    verbose_name = _("Surveillance")

    def ready(self):
        from chongdich.core.panels import register_person_extras
        from chongdich.surveillance.person_extras import surveillance_extras

        register_person_extras(surveillance_extras)
        from chongdich.surveillance import imports  # noqa: F401 - registers the case and contact importers
        from chongdich.surveillance.models import Case, Cluster, Contact
        from chongdich.tallies.registry import register

        register(Case, lambda: Case.objects.prefetch_related("episodes"))
        register(Contact, lambda: Contact.objects.select_related("index_case"))
        register(Cluster)
