"""Forms of the decisions: the chair's decision on one application, the suggestion to confirm,
and the awarded student's answer."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from applications.enums import DecisionOutcome


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Decision"),
        choices=[("", gettext_lazy("No decision yet")), *DecisionOutcome.choices],
        widget=forms.RadioSelect,
        required=False,
    )
    amount = forms.DecimalField(
        label=gettext_lazy("Amount of the award"),
        min_value=Decimal("0.01"),
        max_digits=12,
        decimal_places=2,
        required=False,
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].label = _("Amount of the award (%(currency)s)") % {
            "currency": call.currency
        }
        self.fields["amount"].help_text = _("Only for an award.")

    def clean(self):
        data = super().clean()
        if data.get("outcome") == DecisionOutcome.AWARD and data.get("amount") is None:
            self.add_error("amount", _("Give the amount of the award."))
        return data


class SuggestionForm(forms.Form):
    waitlist = forms.IntegerField(
        label=gettext_lazy("Then waitlist the next"),
        help_text=gettext_lazy("Applications, in ranking order, after the last award."),
        min_value=0,
        max_value=1000,
        initial=0,
        required=False,
    )
    decline_rest = forms.BooleanField(
        label=gettext_lazy("Decline every other undecided application"), required=False
    )
    fingerprint = forms.CharField(widget=forms.HiddenInput, required=False)


class AwardAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", gettext_lazy("Accept")), ("decline", gettext_lazy("Decline"))],
        widget=forms.HiddenInput,
    )
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that declining cannot be undone."), required=False
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == "decline" and not data.get("confirm"):
            self.add_error("confirm", _("Tick this box to decline the award."))
        return data
