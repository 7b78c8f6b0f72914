"""Background task for the daily assessment (run by the task worker; immediate in tests).

Schedule it once a day (cron / systemd timer: ``chongdich assess_risk``, or enqueue this task);
overrides and settings enqueue it for today so that their effect shows without waiting.
"""

from __future__ import annotations

from datetime import date

from django_tasks import task

from chongdich.risk.assess import assess_day


@task()
def assess_risk(day: str | None = None, framework: str | None = None) -> dict:
    summary = assess_day(date.fromisoformat(day) if day else None, framework=framework)
    return summary.as_dict()
