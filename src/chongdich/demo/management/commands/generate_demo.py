from django.core.management.base import BaseCommand

from chongdich.demo.boundaries import load_demo_boundaries
from chongdich.demo.generate import generate, generate_outbreak_for_demo
from chongdich.demo.management.commands.demo_logins import login_lines


class Command(BaseCommand):
    help = "Generate the demo district (Bù Gia Mập, Bình Phước): villages, households, people, one user per persona."

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=70_000, help="number of people (default 70,000)")
        parser.add_argument("--seed", type=int, default=2021)
        parser.add_argument("--no-outbreak", action="store_true", help="people only, no cases")
        parser.add_argument(
            "--outlines-only",
            action="store_true",
            help="only load the provinces' and the demo province's districts' outlines for the map, if not "
            "loaded yet (from ../shared/geo beside the repository or CHONGDICH_GEO_DIR)",
        )

    def handle(self, *args, people, seed, no_outbreak, outlines_only, **options):
        if outlines_only:
            load_demo_boundaries(say=lambda message: self.stdout.write(message))
            return
        generate(people=people, seed=seed, say=lambda message: self.stdout.write(message))
        load_demo_boundaries(say=lambda message: self.stdout.write(message))
        if not no_outbreak:
            generate_outbreak_for_demo(seed=seed, say=lambda message: self.stdout.write(message))
        lines = login_lines()
        self.stdout.write(self.style.SUCCESS(lines[0]))
        for line in lines[1:]:
            self.stdout.write(line)
