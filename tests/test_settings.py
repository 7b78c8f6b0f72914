"""Settings come from the environment; production refuses a default or short secret."""

import os
import subprocess
import sys

import pytest

ENV = {**os.environ, "PYTHONPATH": "src"}


def _load_prod(**env):
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='chongdich.settings.prod'; from django.conf import settings; print(settings.DEBUG, settings.TIME_ZONE, settings.ALLOWED_HOSTS)"
    environment = {k: v for k, v in ENV.items() if k not in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS")}
    environment.update(env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environment)


def test_production_refuses_the_default_secret():
    result = _load_prod()
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_production_starts_with_a_real_secret():
    result = _load_prod(SECRET_KEY="x" * 50, ALLOWED_HOSTS="chongdich.binhphuoc.gov.vn")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "Asia/Ho_Chi_Minh", "['chongdich.binhphuoc.gov.vn']"]


@pytest.mark.parametrize("url", ["sqlite:////tmp/x.sqlite3", "postgres://u:p@db.local:5432/chongdich"])
def test_database_url(url):
    code = "from chongdich.settings import base; print(base.DATABASES['default']['ENGINE'])"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env={**ENV, "DATABASE_URL": url}
    )
    assert result.stdout.strip().split(".")[-1] in ("sqlite3", "postgresql")
