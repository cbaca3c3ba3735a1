"""Paying an award: its schedule of instalments (amount, due date, a condition to meet first)
and the payments recorded against each, with the bank's reference."""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from applications.enums import InstalmentCondition
from applications.models.applications import Application


class Instalment(models.Model):
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="instalments"
    )
    number = models.PositiveSmallIntegerField(_("instalment"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    currency = models.CharField(_("currency"), max_length=3)
    due_date = models.DateField(_("due on"))
    condition = models.CharField(
        _("condition"),
        max_length=20,
        choices=InstalmentCondition.choices,
        default=InstalmentCondition.NONE,
    )
    condition_text = models.CharField(_("condition, in words"), max_length=200, blank=True)
    condition_met_at = models.DateTimeField(_("condition met on"), null=True, blank=True)
    condition_met_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["application_id", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="one_instalment_number_per_award"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.application_id} instalment {self.number}"

    @property
    def condition_pending(self) -> bool:
        return self.condition != InstalmentCondition.NONE and self.condition_met_at is None

    def condition_label(self) -> str:
        """The condition in words: the text staff typed for "other", else its label."""
        if self.condition == InstalmentCondition.OTHER and self.condition_text:
            return self.condition_text
        return str(self.get_condition_display())

    def paid(self) -> Decimal:
        """What has been paid of it; reads the prefetched payments when there are some."""
        return sum((payment.amount for payment in self.payments.all()), Decimal("0"))

    def outstanding(self) -> Decimal:
        return self.amount - self.paid()


class Payment(models.Model):
    instalment = models.ForeignKey(Instalment, on_delete=models.PROTECT, related_name="payments")
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    reference = models.CharField(_("bank reference"), max_length=100)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["paid_on", "pk"]
        constraints = [
            # A bank reference names one transfer: the same one twice is a double entry.
            models.UniqueConstraint(Lower("reference"), name="one_payment_per_bank_reference")
        ]

    def __str__(self) -> str:
        return self.reference
