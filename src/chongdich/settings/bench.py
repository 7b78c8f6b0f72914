"""Benchmarks: the configured database (a throw-away PostgreSQL from ./run bench), no debug, tasks inline."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": ["default"]}}
MEDIA_ROOT = "/tmp/chongdich-bench-media"
LOGGING["root"]["level"] = "ERROR"  # noqa: F405
