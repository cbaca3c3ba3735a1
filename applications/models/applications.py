"""An applicant's application to a call, its documents and its referees."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from applications.enums import ApplicationState, DocumentStatus, RefereeStatus
from applications.models.calls import Call, DocumentKind
from portal.content_languages import active_language


def written_language() -> str:
    """The language an application is written in: the one its applicant reads the portal in
    when they start it."""
    return active_language()


class Application(models.Model):
    """One per applicant and call. `version` guards drafts against silent overwrites."""

    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    state = models.CharField(
        _("state"), max_length=24, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    # The questions as they were when the application started (see Question.snapshot).
    questions = models.JSONField(default=list)
    answers = models.JSONField(default=dict, blank=True)
    # Reviewers read the questions in their own language and the answers as written, in this
    # one (choice answers are kept in English and shown in the reader's language).
    language = models.CharField(
        _("written in"), max_length=10, choices=settings.LANGUAGES, default=written_language
    )
    # About the applicant: asked of everyone, kept in columns for filtering.
    country = CountryField(_("country of study"), blank=True)
    institution = models.CharField(_("medical school"), max_length=200, blank=True)
    year_of_study = models.PositiveSmallIntegerField(_("year of study"), null=True, blank=True)
    requested_amount = models.DecimalField(
        _("amount requested"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # How many required items are still missing; refreshed by every write, for filtering.
    missing_count = models.PositiveSmallIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # When the applicant ticked the declaration that what they gave is true and complete.
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["call", "applicant"], name="one_application_per_call")
        ]
        indexes = [models.Index(fields=["call", "state"])]
        verbose_name = _("application")
        verbose_name_plural = _("applications")

    def __str__(self) -> str:
        return f"{self.applicant} – {self.call}"  # noqa: RUF001 - an en dash in a display name

    @property
    def is_editable(self) -> bool:
        return self.state in ApplicationState.editable()

    @property
    def sections(self) -> list[str]:
        """Section titles in the order their first question appears."""
        return list(dict.fromkeys(question["section"] for question in self.questions))


class Document(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    kind = models.ForeignKey(DocumentKind, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=255, unique=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveIntegerField(default=0)
    content_type = models.CharField(max_length=100, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        max_length=12, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind__sort_order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "kind"],
                condition=models.Q(status=DocumentStatus.VERIFIED),
                name="one_verified_document_per_kind",
            )
        ]

    def __str__(self) -> str:
        return self.original_name or self.key


class RefereeRequest(models.Model):
    """A letter asked of a referee by a link; only a hash of the link's token is kept."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="referees")
    name = models.CharField(_("referee's name"), max_length=200)
    email = models.EmailField(_("referee's email"))
    token_hash = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=12, choices=RefereeStatus.choices, default=RefereeStatus.INVITED
    )
    letter_key = models.CharField(max_length=255, blank=True)
    letter_size = models.PositiveIntegerField(default=0)
    letter_sha256 = models.CharField(max_length=64, blank=True)
    decline_reason = models.CharField(max_length=500, blank=True)
    invited_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # Every reminder sent, for the applicant's page: [{"at": ISO datetime, "automatic": bool}].
    reminders = models.JSONField(default=list, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"

    @property
    def is_active(self) -> bool:
        return self.status != RefereeStatus.REPLACED

    @property
    def reminder_log(self) -> list[tuple[datetime, bool]]:
        """When each reminder went out, oldest first, and whether the schedule sent it."""
        return [
            (datetime.fromisoformat(entry["at"]), bool(entry.get("automatic")))
            for entry in self.reminders or []
        ]
