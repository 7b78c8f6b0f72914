"""Settings of the task worker processes that test_worker_kill.py starts: the test database (its name comes
from the test), tasks in the database, and small chunks so that an import is caught half way."""

import os

from chongdich.settings.test import *  # noqa: F403
from chongdich.settings.test import DATABASES

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
DATABASES["default"]["NAME"] = os.environ["CHONGDICH_TEST_DB_NAME"]
CHONGDICH_IMPORT_CHUNK_ROWS = int(os.environ.get("CHONGDICH_IMPORT_CHUNK_ROWS", "100"))
