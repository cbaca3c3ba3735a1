"""Bids: how much a committee member wants to review each application, before the assignment."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from applications.enums import BidLevel
from applications.models.applications import Application
from applications.models.committees import CommitteeMembership


class Bid(models.Model):
    """One member's bid on one application; the assignment reads it as affinity, and a
    "conflict" bid is also a declared conflict (`services.committee.conflict_declare`)."""

    membership = models.ForeignKey(
        CommitteeMembership, on_delete=models.CASCADE, related_name="bids"
    )
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="bids")
    level = models.CharField(_("bid"), max_length=12, choices=BidLevel.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "application"], name="one_bid_per_member_and_application"
            )
        ]
        verbose_name = _("bid")
        verbose_name_plural = _("bids")

    def __str__(self) -> str:
        return f"{self.membership.user}: #{self.application_id} {self.get_level_display()}"
