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
        from chongdich.tallies.registry import register

        register(CapacityChange, lambda: CapacityChange.objects.select_related("facility"))
        register(Stay, lambda: Stay.objects.select_related("facility"))
        register(HomeOrder)
        from chongdich.care.actions.case_sync import on_case_changed
        from chongdich.surveillance.models import Case
        from chongdich.surveillance.signals import case_changed

        case_changed.connect(on_case_changed, sender=Case, dispatch_uid="care-case-sync")
        from chongdich.care.placement import CareFacilities
        from chongdich.surveillance import placement

        placement.register(CareFacilities())
