"""The plumbing's records: the audit trail, the runs of scheduled jobs, the ledger of notices,
the upload tickets not yet confirmed."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    action = models.CharField(max_length=50)  # e.g. "review.submitted", "decision.changed"
    # What the entry is about, and the scope whose managers may read it (e.g. "call:7").
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=50)
    scope = models.CharField(max_length=50, db_index=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type}:{self.object_id}"


class JobRun(models.Model):
    """One run of a scheduled job for one moment of its schedule (or one "run now").

    The unique (job, period) pair is what stops two schedulers from running a job twice: the
    second one to ask for the same moment is refused by the database.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")

    job = models.CharField(max_length=100)
    period = models.DateTimeField(help_text="The moment of the schedule this run is for.")
    manual = models.BooleanField(default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # What the run did: a count per outcome of the job (`Job.outcomes` names them for people).
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-period", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["job", "period"], name="one_run_per_job_and_period")
        ]
        indexes = [models.Index(fields=["job", "-period"])]

    def __str__(self) -> str:
        return f"{self.job} @ {self.period:%Y-%m-%d %H:%M}"


class SentNotice(models.Model):
    """A ledger of things done once: a reminder of one kind, for one object, at one stage.

    A job asks `portal.jobs.once(key)` before it sends; the unique key makes a second
    scheduler, a retried task or a job run twice send nothing more.
    """

    key = models.CharField(max_length=200, unique=True)
    at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.key


class PendingUpload(models.Model):
    """An upload ticket handed out (`portal.uploads.Upload.start`), kept for a day.

    `key` is the one-time key the browser posts to. `finish` closes the ticket when it records
    the object or refuses it; a day after it was handed out the job "portal.pending_uploads"
    deletes the ticket with what it may have left in storage. The owner is the person who asked
    for it; a referee has no account, so the prefix (one document of one sender) stands in for
    them.
    """

    key = models.CharField(max_length=255, unique=True)
    prefix = models.CharField(max_length=255)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    # When its object was recorded or refused; an open ticket counts against the sender's limit.
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["owner", "created_at"], name="pending_upload_owner"),
            models.Index(fields=["prefix", "created_at"], name="pending_upload_prefix"),
        ]

    def __str__(self) -> str:
        return self.key


class DataExport(models.Model):
    """A person's download of their own data: built by a task, kept a week, then deleted.

    While `status` is BUILDING a second request is refused; the zip lives in private storage
    under `key` and is served only to its owner, through a signed link that expires with it.
    """

    class Status(models.TextChoices):
        BUILDING = "building", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="data_exports"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BUILDING)
    key = models.CharField(max_length=255, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="building"),
                name="one_data_export_building_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"export {self.pk} of user {self.user_id} ({self.status})"


class Operation(models.Model):
    """A long piece of work started by a person (an assignment, a match run, a publication),
    done by the task worker while the person watches its progress page.

    `kind` names the work in the registry of `portal.operations`; `subject` is what it works on
    ("call:7", "cycle:3"). The database refuses a second operation of a kind on a subject while
    one is queued or running.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Done")
        FAILED = "failed", _("Failed")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    token = models.UUIDField(unique=True, editable=False)  # in the progress page's address
    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=60)
    params = models.JSONField(default=dict, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    language = models.CharField(max_length=10, blank=True)  # the starter's, for the messages
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    stage = models.CharField(max_length=30, blank=True)  # a key of the kind's stages
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)  # what it did, for its summary
    message = models.TextField(blank=True)  # the refusal that failed it, in the starter's language
    error = models.TextField(blank=True)  # the traceback of an unexpected failure, for staff
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["kind", "subject", "created_at"], name="operation_subject")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_operation_per_subject",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} on {self.subject} ({self.status})"

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def percent(self) -> int | None:
        if self.status == self.Status.SUCCEEDED:
            return 100
        return min(100, self.done * 100 // self.total) if self.total else None
