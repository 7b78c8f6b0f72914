from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaccinationConfig(AppConfig):
    name = "chongdich.vaccination"
    label = "vaccination"
    verbose_name = _("Vaccination")

    def ready(self):
        # coverage: doses and priority-group enrolment feed the vaccination tallies
        from chongdich.tallies.registry import register, register_coverage
        from chongdich.vaccination.models import Dose, Enrolment
        from chongdich.vaccination.selectors import coverage

        register(Dose, grouped=coverage.grouped_doses)
        register(Enrolment, grouped=coverage.grouped_enrolments)
        register_coverage(coverage.coverage_parameters)
