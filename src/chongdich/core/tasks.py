"""Background tasks of the import framework (run by the task worker, immediately in tests)."""

from django_tasks import task

from chongdich.core import imports


@task()
def check_import(job_id: int, language_code: str = "vi") -> None:
    imports.execute(job_id, dry_run=True, language_code=language_code)


@task()
def run_import(job_id: int, language_code: str = "vi") -> None:
    imports.execute(job_id, dry_run=False, language_code=language_code)
