"""Review of applications: conflicts, assignments, reviews, decisions and responses."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from applications.enums import ConflictKind, DecisionOutcome, ReviewState
from applications.models.applications import Application
from applications.models.committees import CommitteeMembership


class ConflictDeclaration(models.Model):
    """A reviewer's conflict of interest: with one application, an institution, a country or a
    person.

    An institution or country conflict covers every application from it; a person conflict
    covers every application of that applicant, named by their account or by their email.
    """

    membership = models.ForeignKey(
        CommitteeMembership, on_delete=models.CASCADE, related_name="conflicts"
    )
    kind = models.CharField(_("conflict with"), max_length=12, choices=ConflictKind.choices)
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    institution = models.CharField(_("institution"), max_length=200, blank=True)
    country = CountryField(_("country"), blank=True)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    person_email = models.EmailField(_("email"), blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.membership.user}: {self.get_kind_display()}"

    def covers(self, application: Application) -> bool:
        if self.kind == ConflictKind.APPLICATION:
            return self.application_id == application.pk
        if self.kind == ConflictKind.INSTITUTION:
            return bool(self.institution) and (
                self.institution.strip().casefold() == application.institution.strip().casefold()
            )
        if self.kind == ConflictKind.PERSON:
            if self.person_id is not None and self.person_id == application.applicant_id:
                return True
            return bool(self.person_email) and (
                self.person_email.strip().casefold()
                == (application.applicant.email or "").strip().casefold()
            )
        return bool(self.country) and self.country == application.country


class Assignment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="assignments"
    )
    membership = models.ForeignKey(
        CommitteeMembership, on_delete=models.CASCADE, related_name="assignments"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["application_id", "membership_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "membership"], name="one_assignment_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.application_id} → {self.membership_id}"


class Review(models.Model):
    assignment = models.OneToOneField(Assignment, on_delete=models.CASCADE, related_name="review")
    scores = models.JSONField(default=dict, blank=True)  # criterion id -> score
    comment = models.TextField(_("comment"), blank=True)
    recommendation = models.CharField(
        _("recommendation"), max_length=12, choices=DecisionOutcome.choices, blank=True
    )
    state = models.CharField(max_length=12, choices=ReviewState.choices, default=ReviewState.DRAFT)
    version = models.PositiveIntegerField(default=1)
    submitted_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"review of assignment {self.assignment_id} ({self.state})"


class Decision(models.Model):
    """The chair's decision; the applicant sees it once published, and answers an award."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="decision"
    )
    outcome = models.CharField(_("decision"), max_length=12, choices=DecisionOutcome.choices)
    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    respond_by = models.DateField(_("answer by"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True)
    letter_key = models.CharField(max_length=255, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["application_id"]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} #{self.application_id}"
