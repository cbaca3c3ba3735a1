"""A call's second stage after a shortlist: an interview or a panel with its own rubric, the
shortlist, the time slots the shortlisted book, and the panel's scores."""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import StageKind
from applications.models.applications import Application
from applications.models.calls import Call
from applications.models.committees import CommitteeMembership
from portal.content_languages import EnglishBaseColumn

#: A booking may be made, changed or cancelled until this long before the slot starts: the
#: panel knows its day a day ahead.
BOOKING_CLOSES_BEFORE = timedelta(hours=24)


class Stage(EnglishBaseColumn):
    """The second (and last) stage of a call: its decisions follow this stage's scores.

    Name, instructions and location are typed in every language (applications/translation.py),
    English required."""

    call = models.OneToOneField(Call, on_delete=models.CASCADE, related_name="stage")
    kind = models.CharField(
        _("kind"), max_length=12, choices=StageKind.choices, default=StageKind.INTERVIEW
    )
    name = models.CharField(_("name"), max_length=200)
    instructions = models.TextField(
        _("instructions for the shortlisted"),
        blank=True,
        help_text=_("What to prepare and bring; shown when they book and in the email."),
    )
    location = models.CharField(
        _("where or how"),
        max_length=300,
        blank=True,
        help_text=_("For example: a video call; the link is sent by email the day before."),
    )
    slot_minutes = models.PositiveSmallIntegerField(
        _("minutes per slot"), default=30, validators=[MinValueValidator(5), MaxValueValidator(480)]
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("second stage")
        verbose_name_plural = _("second stages")

    def __str__(self) -> str:
        return self.name


class StageCriterion(EnglishBaseColumn):
    """One line of the stage's rubric: the same shape as the call's `Criterion`."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("criterion"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(0)],
    )
    scale_max = models.PositiveSmallIntegerField(
        _("highest score"), default=5, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "pk"]

    def __str__(self) -> str:
        return self.name


class Shortlisting(models.Model):
    """An application the chair or staff took to the second stage."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="shortlistings")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="shortlistings"
    )
    shortlisted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shortlisted_at = models.DateTimeField()

    class Meta:
        ordering = ["shortlisted_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "application"], name="one_shortlisting_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.application_id} shortlisted for stage {self.stage_id}"


class InterviewSlot(models.Model):
    """A time the panel meets one shortlisted applicant. The database, not the page, keeps a
    slot to one applicant and an applicant to one slot of the stage: the booking service
    takes a free slot with a conditional update, and the constraint stops two tabs."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    booked_by = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    booked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "starts_at"], name="one_slot_per_start"),
            models.UniqueConstraint(
                fields=["stage", "booked_by"],
                condition=models.Q(booked_by__isnull=False),
                name="one_booking_per_application",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at.isoformat()} ({self.stage_id})"

    def may_change(self, now) -> bool:
        """Booking, changing or cancelling is still allowed for this slot at `now`."""
        return now < self.starts_at - BOOKING_CLOSES_BEFORE


class StageScore(models.Model):
    """One panel member's scores of one shortlisted application on the stage's rubric; saving
    again changes it."""

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="scores")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="stage_scores"
    )
    scorer = models.ForeignKey(CommitteeMembership, on_delete=models.CASCADE, related_name="+")
    scores = models.JSONField(default=dict, blank=True)  # criterion id -> score
    total = models.FloatField(null=True, blank=True)  # weighted, 0-100
    comment = models.TextField(_("comment"), blank=True)
    submitted_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["application_id", "scorer_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "application", "scorer"], name="one_stage_score_per_scorer"
            )
        ]

    def __str__(self) -> str:
        return f"stage score of #{self.application_id} by {self.scorer_id}"
