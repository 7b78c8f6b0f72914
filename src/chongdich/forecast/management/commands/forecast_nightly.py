"""``chongdich forecast_nightly [--day YYYY-MM-DD]``: the nightly forecast run, now, in this process."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from chongdich.forecast.models import RunStatus
from chongdich.forecast.nightly import STEPS, run_forecast


class Command(BaseCommand):
    help = (
        "Compute Rt, projections, demand and scores for every commune, district and province as of a day "
        "(default: yesterday), then what runs out first and the alerts; a re-run replaces the day's rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--day", type=date.fromisoformat, default=None, help="YYYY-MM-DD (default: yesterday)")

    def handle(self, *args, day=None, **options):
        shown = {"step": None, "done": -1}

        def report(run):
            if run.step != shown["step"]:
                shown.update(step=run.step, done=-1)
                self.stdout.write(f"{run.step:8} {STEPS.get(run.step, run.step)}")
            if run.step == "compute" and run.total and run.done != shown["done"]:
                shown["done"] = run.done
                self.stdout.write(f"         {run.done:,} / {run.total:,} units")

        try:
            run = run_forecast(day, report=report)
        except Exception as error:
            raise CommandError(f"the forecast run failed: {type(error).__name__}: {error}") from error
        if run.status != RunStatus.DONE:  # pragma: no cover - run_forecast raises when it fails
            raise CommandError(run.error)
        figures = run.figures
        rows = figures.get("rows", {})
        self.stdout.write(
            f"run {run.pk} as of {run.day}: {figures.get('units', 0):,} units "
            f"({figures.get('reliable', 0):,} with enough cases for Rt), {figures.get('cells', 0):,} tally cells, "
            f"{run.seconds:.1f} s"
        )
        self.stdout.write("rows: " + ", ".join(f"{name} {count:,}" for name, count in rows.items()))
        self.stdout.write(
            "seconds per step: " + ", ".join(f"{step} {sec:.2f}" for step, sec in figures.get("timings", {}).items())
        )
        for province, message in figures.get("config_errors", {}).items():
            self.stderr.write(f"province {province}: settings not valid, defaults used: {message}")
