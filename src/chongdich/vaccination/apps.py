from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaccinationConfig(AppConfig):
    name = "chongdich.vaccination"
    label = "vaccination"
    verbose_name = _("Vaccination")

    def ready(self):
        from chongdich.vaccination import imports  # noqa: F401 - registers the platform import
