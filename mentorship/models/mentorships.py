"""Mentorships and their check-ins: the work that follows a match."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mentorship.enums import EndReason, MentorshipStatus
from mentorship.models.people import MenteeRequest, MentorProfile
from mentorship.models.rounds import MatchRound


class Mentorship(models.Model):
    mentee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentorships_as_mentee"
    )
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="mentorships")
    request = models.ForeignKey(MenteeRequest, on_delete=models.CASCADE, related_name="mentorships")
    match_round = models.ForeignKey(
        MatchRound,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentorships",
    )
    score = models.FloatField(_("compatibility"), null=True)
    reasons = models.JSONField(default=list)
    goals = models.TextField(_("goals"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=8,
        choices=MentorshipStatus.choices,
        default=MentorshipStatus.ACTIVE,
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    end_reason = models.CharField(
        _("reason for ending"), max_length=20, choices=EndReason.choices, blank=True
    )
    end_note = models.TextField(_("note"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-started_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status=MentorshipStatus.ACTIVE),
                name="one_active_mentorship_per_request",
            )
        ]
        indexes = [models.Index(fields=["status", "started_at"], name="mentorship_status")]
        verbose_name = _("mentorship")
        verbose_name_plural = _("mentorships")

    def __str__(self) -> str:
        return f"{self.mentor} / {self.mentee}"

    @property
    def is_active(self) -> bool:
        return self.status == MentorshipStatus.ACTIVE


class CheckIn(models.Model):
    mentorship = models.ForeignKey(Mentorship, on_delete=models.CASCADE, related_name="check_ins")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    held_on = models.DateField(_("date"))
    notes = models.TextField(_("notes"), max_length=4000)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["mentorship", "held_on"], name="check_in_mentorship_date")]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self) -> str:
        return f"{self.mentorship} ({self.held_on.isoformat()})"
