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
