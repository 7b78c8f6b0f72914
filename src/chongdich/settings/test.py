"""Test settings: fast hashing, tasks run immediately, same DB engine as DATABASE_URL says."""

import os
import secrets
import tempfile
from pathlib import Path

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
MEDIA_ROOT = os.environ.get("CHONGDICH_TEST_MEDIA", "/tmp/chongdich-test-media")
AXES_FAILURE_LIMIT = 3
ALLOWED_HOSTS = ["*"]
# Certificates are signed with a key made for the test session on first use (never a deployment's key).
CHONGDICH_SIGNING_KEY_FILE = (
    Path(tempfile.gettempdir()) / f"chongdich-test-keys-{secrets.token_hex(6)}" / "signing-key.pem"
)
# movement: no rate limit of public declarations and check-ins across the whole run (its tests set one).
CHONGDICH_DECLARATION_RATE_LIMIT = 0
CHONGDICH_CHECKIN_RATE_LIMIT = 0
