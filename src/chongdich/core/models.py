"""Audit log of actions and of who viewed or exported personal data.

Field-level history of records is kept by django-simple-history; this log records *actions*
(create, update, delete, merge, import, export, view, login, grant…) with the actor, the time,
the client address and the unit path, so that an auditor can answer "who saw this person".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    CREATE = "create", _("Created")
    UPDATE = "update", _("Updated")
    DELETE = "delete", _("Deleted")
    VIEW = "view", _("Viewed")
    EXPORT = "export", _("Exported")
    IMPORT = "import", _("Imported")
    MERGE = "merge", _("Merged")
    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    GRANT = "grant", _("Role granted")
    REVOKE = "revoke", _("Role revoked")
    TOKEN = "token", _("API token")
    SEARCH = "search", _("Searched")
    # A duplicate check matched a person outside the asker's area: the asker was told only "registered in
    # another area"; the event (in the person's area) lets that area's auditors see who asked.
    DUPLICATE = "duplicate", _("Duplicate found in another area")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=AuditAction.choices)
    object_type = models.CharField(_("object type"), max_length=60, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_label = models.CharField(_("object"), max_length=200, blank=True)
    unit_path = models.CharField(max_length=160, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "-at"], name="audit_object"),
            models.Index(fields=["actor", "-at"], name="audit_actor"),
            models.Index(fields=["unit_path"], name="audit_path", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_type}:{self.object_id}"


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Uploaded")
    CHECKING = "checking", _("Checking")
    CHECKED = "checked", _("Checked, waiting for confirmation")
    IMPORTING = "importing", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(models.Model):
    """One uploaded file and its dry run, then its import, with progress for the page to poll."""

    kind = models.CharField(_("kind"), max_length=40)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    unit = models.ForeignKey("territory.AdminUnit", on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    unit_path = models.CharField(max_length=160, editable=False)
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(_("file"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=ImportStatus.choices, default=ImportStatus.UPLOADED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    message = models.TextField(blank=True)
    rejected_file = models.FileField(upload_to="imports/rejected/%Y/%m/", blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The run allowed to write: every check, import and resumption takes the next number, and a run whose
    # number is no longer current (a worker thought dead that comes back) can save nothing more.
    attempt = models.PositiveIntegerField(default=0, editable=False)
    recoveries = models.PositiveSmallIntegerField(default=0, editable=False)  # runs resumed after their worker died
    updated_at = models.DateTimeField(default=timezone.now, editable=False)  # the last progress written

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status in (ImportStatus.DONE, ImportStatus.CHECKED) else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def running(self) -> bool:
        return self.status in (ImportStatus.UPLOADED, ImportStatus.CHECKING, ImportStatus.IMPORTING)

    @property
    def importable(self) -> int:
        """Rows the check found that an import would add or change."""
        return (self.summary or {}).get("new", 0) + (self.summary or {}).get("update", 0)

    @property
    def rejected(self) -> int:
        return (self.summary or {}).get("invalid", 0) + (self.summary or {}).get("error", 0)

    def get_absolute_url(self) -> str:
        return reverse("desk:import_detail", args=[self.pk])


class ImportRejectedRow(models.Model):
    """A row of a running check or import that was refused, kept with its chunk (same transaction) until the
    job ends and writes them into its rejected-rows file, so that a resumed import loses none of them."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="+")
    row = models.PositiveIntegerField()
    values = models.JSONField(default=list)
    reason = models.TextField()

    class Meta:
        ordering = ["job", "row", "id"]


class TaskWorker(models.Model):
    """A live task worker process (``chongdich task_worker``), so that a task left RUNNING by a worker that
    died can be told from one still working: a worker on this machine is alive while its process is; one on
    another machine while it keeps beating."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=200)
    pid = models.PositiveIntegerField()
    process_started = models.CharField(max_length=40, blank=True)  # the process's start time, against pid reuse
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.host} pid {self.pid})"
