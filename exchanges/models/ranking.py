"""Both sides' preferences: a student's ordered rotations (with their exchange dossier and
documents) and a rotation's ordered students."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from exchanges.enums import DocumentKind


class RankList(models.Model):
    """One student's list in one cycle, and the dossier that schools read with it."""

    cycle = models.ForeignKey(
        "exchanges.ExchangeCycle", on_delete=models.CASCADE, related_name="rank_lists"
    )
    student = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exchange_rank_lists"
    )
    home_school = models.CharField(_("your medical school"), max_length=200, blank=True)
    year_of_study = models.PositiveSmallIntegerField(
        _("year of study"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    languages = models.JSONField(_("languages you speak"), default=list, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "student"], name="one_rank_list_per_cycle")
        ]
        verbose_name = _("rank list")
        verbose_name_plural = _("rank lists")

    def __str__(self) -> str:
        return f"{self.student}, {self.cycle}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def profile_complete(self) -> bool:
        return bool(self.home_school and self.year_of_study and self.languages)


class RankListEntry(models.Model):
    rank_list = models.ForeignKey(RankList, on_delete=models.CASCADE, related_name="entries")
    rotation = models.ForeignKey(
        "exchanges.Rotation", on_delete=models.CASCADE, related_name="rank_entries"
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["rank_list", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["rank_list", "rotation"], name="rotation_once_per_rank_list"
            ),
            models.UniqueConstraint(
                fields=["rank_list", "position"], name="one_rotation_per_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.rotation_id}"


class DocumentCheck(models.TextChoices):
    """Where a host school's or programme staff's check of one document stands."""

    PENDING = "pending", _("Not checked yet")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


#: Kinds whose checker records the date they stop being valid; a document that expires before
#: a rotation ends keeps the student out of that rotation in the match.
EXPIRING_KINDS = frozenset({DocumentKind.IMMUNISATION, DocumentKind.INSURANCE})
REJECTION_REASON_MAX = 500


class StudentDocument(models.Model):
    """A verified file in private storage; one per kind and rank list (a new one replaces it,
    and so starts unchecked). A host school or programme staff accept or reject it."""

    rank_list = models.ForeignKey(RankList, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=40, choices=DocumentKind.choices)
    key = models.CharField(max_length=255, unique=True)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size"))
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    check_status = models.CharField(
        _("check"), max_length=10, choices=DocumentCheck.choices, default=DocumentCheck.PENDING
    )
    rejection_reason = models.TextField(
        _("reason for rejecting"), max_length=REJECTION_REASON_MAX, blank=True
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    expires_on = models.DateField(_("valid until"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rank_list", "kind"], name="one_document_per_kind"),
            models.CheckConstraint(
                condition=~models.Q(check_status=DocumentCheck.REJECTED)
                | ~models.Q(rejection_reason=""),
                name="rejected_document_has_reason",
            ),
        ]
        verbose_name = _("student document")
        verbose_name_plural = _("student documents")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_name}"

    @property
    def expires(self) -> bool:
        """Whether its checker records how long it is valid (immunisation, insurance)."""
        return self.kind in EXPIRING_KINDS

    @property
    def is_rejected(self) -> bool:
        return self.check_status == DocumentCheck.REJECTED

    @property
    def is_accepted(self) -> bool:
        return self.check_status == DocumentCheck.ACCEPTED


class SchoolRankEntry(models.Model):
    """A school's decision on one student for one rotation: a place in its order, or not
    acceptable (no position). Students without an entry are still to be reviewed."""

    rotation = models.ForeignKey(
        "exchanges.Rotation", on_delete=models.CASCADE, related_name="school_entries"
    )
    rank_list = models.ForeignKey(RankList, on_delete=models.CASCADE, related_name="school_entries")
    position = models.PositiveSmallIntegerField(_("position"), null=True, blank=True)

    class Meta:
        ordering = ["rotation", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rotation", "rank_list"], name="one_school_decision_per_student"
            ),
            models.UniqueConstraint(
                fields=["rotation", "position"],
                condition=models.Q(position__isnull=False),
                name="one_student_per_school_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rotation_id}: {self.position or '-'} {self.rank_list_id}"

    @property
    def acceptable(self) -> bool:
        return self.position is not None
