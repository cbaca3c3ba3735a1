"""Forms of paying an award: the schedule (one row per instalment, a formset with the prefix
`instalments`) and one payment."""

from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import InstalmentCondition

#: More instalments than this is a salary, not a scholarship.
MOST_INSTALMENTS = 24


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class InstalmentForm(forms.Form):
    amount = forms.DecimalField(
        label=_("Amount"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    due_date = forms.DateField(label=_("Due on"), widget=_DateInput)
    condition = forms.ChoiceField(
        label=_("Condition before paying"),
        choices=InstalmentCondition.choices,
        initial=InstalmentCondition.NONE,
    )
    condition_text = forms.CharField(
        label=_("Other condition, in words"), max_length=200, required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("condition") == InstalmentCondition.OTHER and not data.get("condition_text"):
            self.add_error("condition_text", _("Say what the condition is."))
        return data


InstalmentFormSet = forms.formset_factory(
    InstalmentForm,
    extra=0,
    min_num=1,
    max_num=MOST_INSTALMENTS,
    validate_min=True,
    validate_max=True,
)


def schedule_initial(amount: Decimal, count: int, *, start: date) -> list[dict]:
    """`amount` split into `count` equal instalments a month apart (the last takes the cents
    left over), for staff to adjust."""
    count = max(1, min(count, MOST_INSTALMENTS))
    share = (amount / count).quantize(Decimal("0.01"), rounding=ROUND_DOWN)
    rows = [
        {"amount": share, "due_date": start + timedelta(days=30 * n), "condition": "none"}
        for n in range(count)
    ]
    rows[-1]["amount"] = amount - share * (count - 1)
    return rows


class PaymentForm(forms.Form):
    instalment = forms.TypedChoiceField(label=_("Instalment"), coerce=int)
    amount = forms.DecimalField(
        label=_("Amount paid"), max_digits=12, decimal_places=2, min_value=Decimal("0.01")
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=_DateInput)
    reference = forms.CharField(
        label=_("Bank reference"),
        max_length=100,
        help_text=_("As it appears on the bank's statement; each reference is recorded once."),
    )

    def __init__(self, *args, instalments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["instalment"].choices = [
            (instalment.pk, _("Instalment %(number)s") % {"number": instalment.number})
            for instalment in instalments
        ]
