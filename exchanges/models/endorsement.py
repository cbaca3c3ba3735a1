"""A home school's endorsement of a student's rank list: the school's coordinator (or programme
staff) confirms the student's year of study and good standing before the list counts in the
match."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The longest reason a school may give for declining; the student reads it.
DECLINE_REASON_MAX = 500


class EndorsementStatus(models.TextChoices):
    REQUESTED = "requested", _("Waiting for the school")
    ENDORSED = "endorsed", _("Endorsed")
    DECLINED = "declined", _("Declined")


class Endorsement(models.Model):
    """The student picks their home school among the partner institutions and asks; the school
    endorses (year of study confirmed, good standing) or declines with a reason. Asking again
    after a decline, or naming another school, starts a new request."""

    rank_list = models.OneToOneField(
        "exchanges.RankList", on_delete=models.CASCADE, related_name="endorsement"
    )
    institution = models.ForeignKey(
        "exchanges.Institution",
        verbose_name=_("home school"),
        on_delete=models.CASCADE,
        related_name="endorsements",
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EndorsementStatus.choices,
        default=EndorsementStatus.REQUESTED,
    )
    year_confirmed = models.PositiveSmallIntegerField(
        _("year of study confirmed"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(8)],
    )
    good_standing = models.BooleanField(_("in good standing"), default=False)
    reason = models.TextField(_("reason for declining"), max_length=DECLINE_REASON_MAX, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    requested_at = models.DateTimeField(_("requested at"))

    class Meta:
        ordering = ["requested_at", "pk"]
        indexes = [models.Index(fields=["institution", "status"], name="endorsement_school_status")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status=EndorsementStatus.DECLINED) | ~models.Q(reason=""),
                name="declined_endorsement_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=EndorsementStatus.ENDORSED)
                | models.Q(year_confirmed__isnull=False, good_standing=True),
                name="endorsement_confirms_year_and_standing",
            ),
        ]
        verbose_name = _("home-school endorsement")
        verbose_name_plural = _("home-school endorsements")

    def __str__(self) -> str:
        return f"{self.rank_list_id}: {self.institution_id} ({self.status})"

    @property
    def is_endorsed(self) -> bool:
        return self.status == EndorsementStatus.ENDORSED

    @property
    def is_declined(self) -> bool:
        return self.status == EndorsementStatus.DECLINED

    @property
    def is_requested(self) -> bool:
        return self.status == EndorsementStatus.REQUESTED
