"""The second round after a published match: its window, the students' and schools' second-round
preferences over the seats left open, and the first-come claims that a host school confirms."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MatchRound(models.TextChoices):
    """Which round a match run is for: the main match, or the second round over open seats."""

    MAIN = "main", _("Main match")
    SECOND = "second", _("Second round")


class SecondRound(models.Model):
    """A cycle's second round, opened by programme staff after its main match is published.
    Between `opens_at` and `closes_at` unplaced students rank the rotations with free seats and
    schools accept or rank them; after `closes_at` a second run of the same match places them."""

    cycle = models.OneToOneField(
        "exchanges.ExchangeCycle", on_delete=models.CASCADE, related_name="second_round"
    )
    opens_at = models.DateTimeField(_("second round opens at"))
    closes_at = models.DateTimeField(_("second round closes at"))
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_run = models.ForeignKey(
        "exchanges.MatchRun",
        verbose_name=_("published second run"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("second round")
        verbose_name_plural = _("second rounds")

    def __str__(self) -> str:
        return f"{self.cycle_id}: second round"

    def is_open(self, now) -> bool:
        return self.opens_at <= now < self.closes_at

    def has_closed(self, now) -> bool:
        return now >= self.closes_at

    @property
    def is_published(self) -> bool:
        return self.published_run_id is not None


class SecondRoundChoice(models.Model):
    """One rotation on an unplaced student's second-round list (first choice: position 1)."""

    rank_list = models.ForeignKey(
        "exchanges.RankList", on_delete=models.CASCADE, related_name="second_round_choices"
    )
    rotation = models.ForeignKey(
        "exchanges.Rotation", on_delete=models.CASCADE, related_name="second_round_choices"
    )
    position = models.PositiveSmallIntegerField(_("position"))

    class Meta:
        ordering = ["rank_list", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["rank_list", "rotation"], name="second_round_rotation_once"
            ),
            models.UniqueConstraint(
                fields=["rank_list", "position"], name="second_round_one_per_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.rotation_id}"


class SecondRoundDecision(models.Model):
    """A school's second-round decision on one applicant: accepted at a place in its order,
    or not acceptable (no position). An applicant without one is not placed there."""

    rotation = models.ForeignKey(
        "exchanges.Rotation", on_delete=models.CASCADE, related_name="second_round_decisions"
    )
    rank_list = models.ForeignKey(
        "exchanges.RankList", on_delete=models.CASCADE, related_name="second_round_decisions"
    )
    position = models.PositiveSmallIntegerField(_("position"), null=True, blank=True)
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["rotation", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["rotation", "rank_list"], name="second_round_one_decision"
            ),
            models.UniqueConstraint(
                fields=["rotation", "position"],
                condition=models.Q(position__isnull=False),
                name="second_round_one_student_per_position",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rotation_id}: {self.position or '-'} {self.rank_list_id}"

    @property
    def acceptable(self) -> bool:
        return self.position is not None


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the school")
    CONFIRMED = "confirmed", _("Confirmed by the school")
    DECLINED = "declined", _("Declined by the school")


class SeatClaim(models.Model):
    """A student's first-come claim of a free seat after the second run, at a school that
    takes such claims (`Institution.accepts_first_come`). Nothing is placed until the school
    confirms it; a student has one claim waiting at a time, and one claim per rotation."""

    rank_list = models.ForeignKey(
        "exchanges.RankList", on_delete=models.CASCADE, related_name="seat_claims"
    )
    rotation = models.ForeignKey(
        "exchanges.Rotation", on_delete=models.CASCADE, related_name="seat_claims"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.PENDING
    )
    created_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["rank_list", "rotation"], name="one_claim_per_seat"),
            models.UniqueConstraint(
                fields=["rank_list"],
                condition=models.Q(status="pending"),
                name="one_pending_claim_per_student",
            ),
        ]
        verbose_name = _("seat claim")
        verbose_name_plural = _("seat claims")

    def __str__(self) -> str:
        return f"{self.rank_list_id} claims {self.rotation_id} ({self.status})"

    @property
    def is_pending(self) -> bool:
        return self.status == ClaimStatus.PENDING
