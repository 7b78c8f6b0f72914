"""``./run demo`` and ``./run serve``: the address printed is the one served (BIND), the logins are listed in
Vietnamese, no Django shell banner gets into what the script reads or prints, and the task workers run
under the supervisor that restarts them."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

RUN = Path(__file__).resolve().parents[1] / "run"


def function(name: str) -> str:
    """The text of a shell function of ./run."""
    found = re.search(rf"^{name}\(\) \{{.*?^\}}$", RUN.read_text(), re.S | re.M)
    assert found, f"./run has no function {name}"
    return found.group()


def bind_url(bind: str | None) -> str:
    script = f"{function('bind_url')}\n{'export BIND=' + repr(bind) if bind is not None else 'unset BIND'}\nbind_url"
    return subprocess.run(["bash", "-c", script], capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize(
    ("bind", "url"),
    [
        (None, "http://127.0.0.1:8000/"),
        ("127.0.0.1:8765", "http://127.0.0.1:8765/"),
        ("localhost:9000", "http://localhost:9000/"),
        ("[::1]:8080", "http://[::1]:8080/"),
        ("10.0.0.5", "http://10.0.0.5:8000/"),
    ],
)
def test_the_demo_prints_the_address_it_listens_on(bind, url):
    assert bind_url(bind) == url


def test_an_address_on_every_interface_is_printed_as_one_a_browser_can_open():
    url = bind_url("0.0.0.0:8123")
    assert url.endswith(":8123/") and "0.0.0.0" not in url


def test_the_demo_passes_that_address_to_what_it_prints():
    demo = function("cmd_demo")
    assert 'demo_logins --url "$(bind_url)"' in demo and "127.0.0.1:8000/" not in demo.split("gunicorn")[0]


def test_the_logins_are_listed_in_vietnamese(db):
    from chongdich.demo.district import PERSONAS

    out = io.StringIO()
    call_command("demo_logins", url="http://10.0.0.5:8123/", stdout=out)
    text = out.getvalue()
    assert "http://10.0.0.5:8123/" in text and "http://10.0.0.5:8123/api/docs" in text
    assert "Tài khoản đăng nhập (mật khẩu chung: chongdich-demo)" in text and "Dừng: Ctrl+C" in text
    assert "Quản trị viên cấp quốc gia (toàn quốc)" in text and "Người xem (chỉ số liệu tổng hợp)" in text
    with translation.override("en"):
        english = [str(description) for *_rest, description in PERSONAS]
    assert not [line for line in english if line in text]
    assert all(f"    {username:22} " in text for username, *_rest in PERSONAS)


def test_no_shell_banner_reaches_the_script():
    """Django 5.2's shell imports the models and prints a banner ("13 objects could not be automatically
    imported") on stdout, where ./run reads the answer of ``shell -c``."""
    calls = re.findall(r"manage shell[^\n]*", RUN.read_text())
    assert calls and all("--no-imports" in call for call in calls)
    answer = subprocess.run(
        [sys.executable, "-m", "chongdich.cli", "shell", "--no-imports", "-c", "print(True)"],
        capture_output=True,
        text=True,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "chongdich.settings.test"},
    )
    assert answer.stdout == "True\n"


def test_demo_and_serve_run_supervised_task_workers():
    assert "db_worker" not in RUN.read_text()  # a bare worker that nobody restarts
    assert "manage task_workers --count" in function("start_workers")
    assert 'start_workers "${TASK_WORKERS:-1}"' in function("cmd_demo")
    assert 'start_workers "${TASK_WORKERS:-2}"' in function("cmd_serve")
