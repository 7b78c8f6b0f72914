"""``chongdich demo_logins``: the demo's address and logins, in Vietnamese, for ``./run demo`` to print."""

from django.core.management.base import BaseCommand
from django.utils import translation
from django.utils.translation import gettext as _

from chongdich.demo.district import DEMO_PASSWORD, PERSONAS


def login_lines() -> list[str]:
    lines = [_("Logins (password for all: %(password)s):") % {"password": DEMO_PASSWORD}]
    lines += [f"    {username:22} {description}" for username, _name, _role, _unit, description in PERSONAS]
    return lines


class Command(BaseCommand):
    help = "Print the demo's address and its logins (in Vietnamese unless --language says otherwise)."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/", help="the address the server listens on")
        parser.add_argument("--language", default="vi")

    def handle(self, *args, url: str, language: str, **options):
        with translation.override(language):
            base = url.rstrip("/")
            self.stdout.write(_("chongdich is running: %(url)s") % {"url": f"{base}/"})
            for line in login_lines():
                self.stdout.write(f"  {line}")
            self.stdout.write(_("API: %(url)s      Stop: Ctrl+C") % {"url": f"{base}/api/docs"})
