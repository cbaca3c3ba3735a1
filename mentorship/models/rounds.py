"""How staff steer matching: the weights, pinned and forbidden pairs, and match rounds."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from mentorship.compatibility import Weights
from mentorship.enums import PairRuleKind, ProposalSource, RoundStatus
from mentorship.models.people import MenteeRequest, MentorProfile

MAX_WEIGHT = 10
MAX_QUIET_WEEKS = 26


def _weight(label, default: int, help_text):
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MaxValueValidator(MAX_WEIGHT)], help_text=help_text
    )


class MatchingWeights(models.Model):
    """One row: how much each criterion counts in a compatibility score, and when a quiet
    mentorship is nudged."""

    specialty = _weight(
        _("specialty"), 4, _("Share of the student's interests among the mentor's specialties.")
    )
    time_zone = _weight(_("time zone"), 2, _("Fewer hours apart count more; 12 hours count 0."))
    country = _weight(
        _("country knowledge"), 2, _("The mentor knows the student's preferred country.")
    )
    context = _weight(
        _("programme context"),
        3,
        _("The mentor knows the country of the student's scholarship or placement."),
    )
    # Not a weight, but mentoring's other setting staff tune on the same page.
    quiet_weeks = models.PositiveSmallIntegerField(
        _("weeks without a check-in before a nudge"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUIET_WEEKS)],
        help_text=_(
            "Both sides are then reminded by email; a week later, if there is still no "
            "check-in, the mentoring coordinators are told."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("matching weights")
        verbose_name_plural = _("matching weights")

    def __str__(self) -> str:
        return str(_("Matching weights"))

    @classmethod
    def load(cls) -> "MatchingWeights":
        weights, _created = cls.objects.get_or_create(pk=1)
        return weights

    def as_weights(self) -> Weights:
        return Weights(
            specialty=self.specialty,
            time_zone=self.time_zone,
            country=self.country,
            context=self.context,
        )

    def as_dict(self) -> dict[str, int]:
        return {
            "specialty": self.specialty,
            "time_zone": self.time_zone,
            "country": self.country,
            "context": self.context,
        }


class PairRule(models.Model):
    """Staff's word on one pair: pin it in the next round, or never pair them."""

    request = models.ForeignKey(MenteeRequest, on_delete=models.CASCADE, related_name="pair_rules")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="pair_rules")
    kind = models.CharField(_("rule"), max_length=8, choices=PairRuleKind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["request", "mentor"], name="one_rule_per_pair"),
            models.UniqueConstraint(
                fields=["request"], condition=Q(kind=PairRuleKind.PIN), name="one_pin_per_request"
            ),
        ]
        verbose_name = _("pair rule")
        verbose_name_plural = _("pair rules")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.request} / {self.mentor}"


class MatchRound(models.Model):
    """A run of the optimal assignment: previewed and adjusted by staff, then published."""

    status = models.CharField(
        _("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT
    )
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    # Inputs and figures are kept so that a published round can be explained later.
    weights = models.JSONField(_("weights"), default=dict)
    algorithm = models.CharField(max_length=60)
    mentee_count = models.PositiveIntegerField(_("mentees waiting"), default=0)
    mentor_count = models.PositiveIntegerField(_("mentors with free seats"), default=0)
    seat_count = models.PositiveIntegerField(_("free seats"), default=0)
    eligible_pair_count = models.PositiveIntegerField(_("eligible pairs"), default=0)
    matched_count = models.PositiveIntegerField(_("matched"), default=0)
    total_score = models.FloatField(_("total compatibility"), default=0)
    solve_seconds = models.FloatField(default=0)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("match round")
        verbose_name_plural = _("match rounds")

    def __str__(self) -> str:
        return str(_("Round of %(date)s") % {"date": self.created_at.date().isoformat()})

    @property
    def is_draft(self) -> bool:
        return self.status == RoundStatus.DRAFT

    @property
    def unmatched_count(self) -> int:
        return self.mentee_count - self.matched_count


class MatchProposal(models.Model):
    """One mentee's line in a round: the proposed mentor (or none), its score and reasons."""

    UNMATCHED_NO_LANGUAGE = "no_eligible_mentor"
    UNMATCHED_FULL = "mentors_full"

    match_round = models.ForeignKey(MatchRound, on_delete=models.CASCADE, related_name="proposals")
    request = models.ForeignKey(MenteeRequest, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey(
        MentorProfile,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="proposals",
        verbose_name=_("mentor"),
    )
    score = models.FloatField(_("compatibility"), null=True)
    reasons = models.JSONField(default=list)
    source = models.CharField(
        max_length=12, choices=ProposalSource.choices, default=ProposalSource.ALGORITHM
    )
    unmatched_reason = models.CharField(max_length=24, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["match_round", "request"], name="one_proposal_per_request"
            )
        ]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.request} / {self.mentor or '-'}"
