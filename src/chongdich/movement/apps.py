from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementConfig(AppConfig):
    name = "chongdich.movement"
    label = "movement"
    verbose_name = _("Movement and declarations")

    def ready(self) -> None:
        # -- checkpoints: the date windows of the checkpoint, shift and passage forms --
        from chongdich.movement.actions.checkpoints import register_windows as checkpoint_windows

        checkpoint_windows()
        # -- end checkpoints --
