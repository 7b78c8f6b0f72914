from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementConfig(AppConfig):
    name = "chongdich.movement"
    label = "movement"
    verbose_name = _("Movement and declarations")

    def ready(self):
        # -- ingest: the nightly partitions and retention purge are queued when the worker has none ----------
        from chongdich.movement.tasks import schedule_next
        from chongdich.tallies.registry import register_settle

        register_settle(schedule_next)
