from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from chongdich.api.management_docs import render


class Command(BaseCommand):
    help = "Write docs/api/openapi.json and docs/api/README.md from the API's OpenAPI schema."

    def add_arguments(self, parser):
        parser.add_argument("--out", default=str(settings.PROJECT_DIR / "docs" / "api"))

    def handle(self, *args, out, **options):
        target = Path(out)
        target.mkdir(parents=True, exist_ok=True)
        schema, reference = render()
        (target / "openapi.json").write_text(schema, encoding="utf-8")
        (target / "README.md").write_text(reference, encoding="utf-8")
        self.stdout.write(f"wrote {target / 'openapi.json'} and {target / 'README.md'}")
