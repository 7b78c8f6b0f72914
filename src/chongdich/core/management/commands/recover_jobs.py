"""``chongdich recover_jobs``: resume now the work of task workers that died (every worker also does it when it
starts and every ``CHONGDICH_RECOVERY_INTERVAL_SECONDS``)."""

from django.core.management.base import BaseCommand

from chongdich.core import recovery


class Command(BaseCommand):
    help = "Mark the tasks of dead task workers failed and queue their import jobs again (resumed, not rolled back)"

    def handle(self, *args, **options):
        done = recovery.recover()
        self.stdout.write(
            f"tasks of dead workers marked failed: {len(done.tasks_failed)}; jobs resumed: {done.jobs_resumed or 'none'}; "
            f"jobs given up: {done.jobs_failed or 'none'}; dead workers forgotten: {done.workers_forgotten}"
        )
