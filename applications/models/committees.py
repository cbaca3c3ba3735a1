"""Review committees: who reviews which call."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from applications.models.calls import Call


class CommitteeMembership(models.Model):
    """A reviewer (or the chair) on one call's committee."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="committee_memberships"
    )
    is_chair = models.BooleanField(_("chair"), default=False)
    expertise = models.JSONField(
        _("expertise"), default=list, blank=True, help_text=_("Specialties and regions, as tags.")
    )
    languages = models.JSONField(_("languages"), default=list, blank=True)

    panels = [
        FieldPanel("call"),
        FieldPanel("user"),
        FieldPanel("is_chair"),
        FieldPanel("expertise"),
        FieldPanel("languages"),
    ]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call", "user"], name="one_membership_per_call_and_user"
            )
        ]
        verbose_name = _("committee membership")
        verbose_name_plural = _("committee memberships")

    def __str__(self) -> str:
        role = _("chair") if self.is_chair else _("reviewer")
        return f"{self.user} ({role}, {self.call})"

    def conflict_with(self, application) -> str | None:
        """Why this member may not judge the application, or None: the one test every path
        asks (assignment, swaps, the review rules and pages, the board, letters, documents).

        "applicant": it is their own application; "referee": they are asked for a letter for it
        (by their email, whatever the case; a referee the applicant replaced no longer counts);
        "declared": one of their declared conflicts covers it (an application, an institution,
        a country, a person). Prefetch `conflicts`, the
        member's `user`, and the applications' `referees` and `applicant` when asking it of
        many.
        """
        if application.applicant_id == self.user_id:
            return "applicant"
        if any(conflict.covers(application) for conflict in self.conflicts.all()):
            return "declared"
        email = (self.user.email or "").strip().casefold()
        if email and any(
            referee.is_active and referee.email.strip().casefold() == email
            for referee in application.referees.all()
        ):
            return "referee"
        return None

    def conflicts_with(self, application) -> bool:
        return self.conflict_with(application) is not None
