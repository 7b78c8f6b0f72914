from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaccinationConfig(AppConfig):
    name = "chongdich.vaccination"
    label = "vaccination"
    verbose_name = _("Vaccination")

    def ready(self):
        # -- stock and AEFI: the date windows of their forms and actions (core.dates) --------------
        from chongdich.vaccination.actions.stock import register_windows

        register_windows()
        # targets: the person page's vaccination panel
        from chongdich.core.panels import register_person_extras
        from chongdich.vaccination.person_extras import vaccination_extras

        register_person_extras(vaccination_extras)
        from chongdich.core import dates

        # table: a session is planned up to three months ahead.
        dates.WINDOWS.setdefault("vaccination.session_day", dates.Window(_("The date of the session"), future_days=92))
        # coverage: doses and priority-group enrolment feed the vaccination tallies
        from chongdich.tallies.registry import register, register_coverage
        from chongdich.vaccination.models import Dose, Enrolment
        from chongdich.vaccination.selectors import coverage

        register(Dose, grouped=coverage.grouped_doses)
        register(Enrolment, grouped=coverage.grouped_enrolments)
        from chongdich.vaccination import imports  # noqa: F401 - registers the platform import

        register_coverage(coverage.coverage_parameters)
