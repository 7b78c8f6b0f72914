"""Local development and the embedded demo (SQLite under ./var)."""

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DEBUG", True)
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405

# Emails of the notifications are written to the console (no mail server in dev and the demo).
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
