"""The embedded demo started by ``./run demo``: SQLite under ./var, served by gunicorn + whitenoise."""

import os
import secrets

from .base import *  # noqa: F403
from .base import VAR_DIR, env_bool

DEBUG = env_bool("DEBUG", False)
_secret_file = VAR_DIR / "secret_key"
if not _secret_file.exists():
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    _secret_file.write_text(secrets.token_urlsafe(50))
SECRET_KEY = _secret_file.read_text().strip()
# The demo district lives in December 2021 under QĐ 4800: its summer outbreak (July–August) is over, most adults
# are vaccinated, an autumn wave has started in three communes (the rules of that time apply).
CHONGDICH_TODAY = os.environ.get("CHONGDICH_TODAY", "2021-12-10")
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = False
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LOGGING["root"]["level"] = "INFO"  # noqa: F405

# Emails of the notifications are written to the console (no mail server in dev and the demo).
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
