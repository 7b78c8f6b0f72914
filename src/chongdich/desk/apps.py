from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The office's pages over core's records that need the territory: imports and the audit log."""

    name = "chongdich.desk"
    label = "desk"
    verbose_name = _("Desk")
