"""Vietnamese first, English second; every string goes through gettext and is translated."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.urls import reverse

SRC = Path(__file__).resolve().parents[1] / "src" / "chongdich"
PO = SRC / "locale" / "vi" / "LC_MESSAGES" / "django.po"


def test_catalogue_is_complete():
    catalogue = polib.pofile(str(PO))
    assert [e.msgid for e in catalogue.untranslated_entries()] == []
    assert [e.msgid for e in catalogue.fuzzy_entries()] == []


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed")
def test_no_string_is_missing_from_the_catalogue(tmp_path):
    """Extract the strings of the code as it is now: every one must already be translated."""
    copy = tmp_path / "chongdich"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    env = {"DJANGO_SETTINGS_MODULE": "chongdich.settings.test", "PYTHONPATH": str(SRC.parent), "PATH": "/usr/bin:/bin"}
    subprocess.run(
        [
            sys.executable,
            "-m",
            "django",
            "makemessages",
            "-l",
            "vi",
            "--no-location",
            "--ignore",
            "risk/rules/*",
            "--ignore",
            "risk/cli.py",
            "--ignore",
            "surveillance/rules/*",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    extracted = polib.pofile(str(copy / "locale" / "vi" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in extracted.untranslated_entries() + extracted.fuzzy_entries() if not e.obsolete]
    assert missing == [], "run makemessages -l vi and translate: " + "; ".join(missing[:10])


def test_vietnamese_is_the_default(client_of):
    page = client_of("commune").get(reverse("people:list")).content.decode()
    assert "Người dân" in page or "người dân" in page
    assert "Đăng xuất" in page


def test_english_switch(client_of):
    client = client_of("commune")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("people:list")).content.decode()
    assert "Log out" in page and "Đăng xuất" not in page


def test_errors_are_in_vietnamese(client_of, world):
    response = client_of("health").post(
        reverse("people:create"),
        {"full_name": "A", "sex": "F", "birth_year": "1990", "cccd": "070090001234", "unit": world.village.code},
    )
    message = response.context["form"].errors["cccd"][0]
    assert "CCCD" in message and "nam" in message  # the number belongs to a man


def test_browser_language_does_not_override_vietnamese(client_of):
    page = client_of("commune").get(reverse("people:list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đăng xuất" in page
