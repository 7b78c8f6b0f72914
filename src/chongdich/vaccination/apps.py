from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VaccinationConfig(AppConfig):
    name = "chongdich.vaccination"
    label = "vaccination"
    verbose_name = _("Vaccination")

    def ready(self):
        from chongdich.core import dates

        # table: a session is planned up to three months ahead.
        dates.WINDOWS.setdefault("vaccination.session_day", dates.Window(_("The date of the session"), future_days=92))
