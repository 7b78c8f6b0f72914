"""Background tasks of the import framework (run by the task worker, immediately in tests)."""

from django.db import transaction
from django_tasks import task
from django_tasks_db.backend import DatabaseBackend

from chongdich.core import imports


@task()
def check_import(job_id: int, language_code: str = "vi", attempt: int | None = None) -> None:
    imports.execute(job_id, dry_run=True, language_code=language_code, attempt=attempt)


@task()
def run_import(job_id: int, language_code: str = "vi", attempt: int | None = None) -> None:
    imports.execute(job_id, dry_run=False, language_code=language_code, attempt=attempt)


IMPORT_TASKS = {check_import.module_path: True, run_import.module_path: False}  # task path → dry run


def enqueue(task_, *args) -> None:
    """Queue a task with the state that calls for it.

    With the database backend the task row is written in the caller's transaction: the job's new state and
    its task exist together or not at all (a crash in between cannot leave a job waiting for no task).
    Other backends (immediate, in tests) run the task once the transaction has committed.
    """
    if isinstance(task_.get_backend(), DatabaseBackend):
        task_.enqueue(*args)
    else:
        transaction.on_commit(lambda: task_.enqueue(*args))
