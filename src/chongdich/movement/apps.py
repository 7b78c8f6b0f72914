from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MovementConfig(AppConfig):
    name = "chongdich.movement"
    label = "movement"
    verbose_name = _("Movement and declarations")

    def ready(self):
        # -- alerts: tallies of the event tables (set-based rebuild) and of the alerts ---------------
        from chongdich.movement.models import Alert, CheckIn, Declaration, Passage
        from chongdich.movement.selectors import tallies
        from chongdich.tallies.registry import register

        register(Passage, grouped_daily=tallies.grouped_passages)
        register(CheckIn, grouped_daily=tallies.grouped_checkins)
        register(Declaration, grouped_daily=tallies.grouped_declarations)
        register(Alert)
        # -- end alerts ----------------------------------------------------------------------------
        # -- checkpoints: the date windows of the checkpoint, shift and passage forms ----------------
        from chongdich.movement.actions.checkpoints import register_windows as checkpoint_windows

        checkpoint_windows()
        # -- end checkpoints -------------------------------------------------------------------------
        # -- green lane: the card form's date windows; overdue trips checked before a day's tallies
        # are read (the daily assessment), which also starts the worker's chain of checks.
        from chongdich.movement.actions.greenlane import raise_overdue_trips, register_windows
        from chongdich.movement.tasks import schedule_overdue_check
        from chongdich.tallies.registry import register_settle

        register_windows()
        register_settle(raise_overdue_trips)
        register_settle(schedule_overdue_check)
        # -- end green lane ------------------------------------------------------------------------
        # -- ingest: the nightly partitions and retention purge are queued when the worker has none ------
        from chongdich.movement.tasks import schedule_next

        register_settle(schedule_next)
        # the retention purge deletes event rows: a rebuild keeps the stored counts of purged days
        from chongdich.movement.retention import tallies_floor
        from chongdich.tallies.registry import register_floor

        register_floor(tallies_floor)
        # -- end ingest ------------------------------------------------------------------------------
        # -- venues: candidate contacts from check-ins on a case's tracing page --------------------------
        from chongdich.movement.views.candidates import tracing_panel
        from chongdich.surveillance.tracing_sources import register as register_tracing_source

        register_tracing_source(tracing_panel)
        # -- end venues ---------------------------------------------------------------------------------------
