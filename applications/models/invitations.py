"""Invitations to a call's committee: an emailed link that makes its holder a member."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.models.calls import Call

#: How long an invitation's link works after it was (last) sent.
INVITATION_LIFETIME = timedelta(days=30)


class CommitteeInvitation(models.Model):
    """Someone asked by email to join a call's committee, as a reviewer or its chair.

    Only a hash of the link's token is kept (as for referees): sending it again makes a new
    link and the old one stops working. The person signed in when the link is accepted
    becomes the member, whatever address the email went to."""

    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email"))
    name = models.CharField(_("name"), max_length=200)
    is_chair = models.BooleanField(_("chair"), default=False)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_invitations_accepted",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("committee invitation")
        verbose_name_plural = _("committee invitations")

    def __str__(self) -> str:
        return f"{self.name} ({self.call})"

    def expires_at(self):
        return self.sent_at + INVITATION_LIFETIME

    def status(self, now) -> str:
        """One of accepted, revoked, expired or pending (the labels are in `STATUS_LABELS`)."""
        if self.accepted_at is not None:
            return "accepted"
        if self.revoked_at is not None:
            return "revoked"
        if now >= self.expires_at():
            return "expired"
        return "pending"


STATUS_LABELS = {
    "accepted": _("Accepted"),
    "revoked": _("Withdrawn"),
    "expired": _("Expired"),
    "pending": _("Waiting for an answer"),
}
