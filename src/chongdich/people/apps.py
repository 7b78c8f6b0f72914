from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "chongdich.people"
    label = "people"
    verbose_name = _("People")

    def ready(self):
        from chongdich.people import imports  # noqa: F401 - registers the importers
