"""Test settings: fast hashing, tasks run immediately, same DB engine as DATABASE_URL says."""

import os

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
MEDIA_ROOT = os.environ.get("CHONGDICH_TEST_MEDIA", "/tmp/chongdich-test-media")
AXES_FAILURE_LIMIT = 3
ALLOWED_HOSTS = ["*"]
