from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CareConfig(AppConfig):
    name = "chongdich.care"
    label = "care"
    verbose_name = _("Care")

    def ready(self):
        from chongdich.care.person_extras import care_extras
        from chongdich.core.panels import register_person_extras

        register_person_extras(care_extras)
        from chongdich.care.models import CapacityChange, HomeOrder, Stay
        from chongdich.tallies.registry import register, register_area_figures, register_settle

        register(CapacityChange, lambda: CapacityChange.objects.select_related("facility"))
        register(Stay, lambda: Stay.objects.select_related("facility"))
        register(HomeOrder)
        from chongdich.care.actions.expiry import end_due
        from chongdich.care.selectors import readiness_figures
        from chongdich.care.tasks import schedule_next

        # Before a day's tallies are read (the daily risk assessment): stays and orders past their end
        # are closed (the capacity inputs count the beds they free), and the nightly job is queued if
        # the worker has none.
        register_settle(end_due)
        register_settle(schedule_next)
        register_area_figures(readiness_figures)
        from chongdich.care.actions.case_sync import on_case_changed
        from chongdich.surveillance.models import Case
        from chongdich.surveillance.signals import case_changed

        case_changed.connect(on_case_changed, sender=Case, dispatch_uid="care-case-sync")
        from chongdich.care.placement import CareFacilities
        from chongdich.surveillance import placement

        placement.register(CareFacilities())
