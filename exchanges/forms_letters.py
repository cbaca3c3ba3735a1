"""Forms of the letters pages: a student's passport details, a school's record of attendance.
They check the shape of what is typed; the services check it against the placement."""

from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from exchanges.forms import DateInput
from exchanges.models import Completion, TravelDetails
from exchanges.services.completion import COMMENT_MAX
from exchanges.services.letters import PASSPORT_NUMBER, passport_number_clean

RATINGS = [
    (1, _("1, poor")),
    (2, _("2, fair")),
    (3, _("3, good")),
    (4, _("4, very good")),
    (5, _("5, excellent")),
]


class TravelDetailsForm(forms.ModelForm):
    class Meta:
        model = TravelDetails
        fields = ["passport_number", "nationality", "passport_expires_on"]
        widgets = {"passport_expires_on": DateInput()}
        help_texts = {
            "passport_number": _("As printed on your passport's identity page."),
            "nationality": _("The country that issued your passport."),
        }

    def clean_passport_number(self) -> str:
        number = passport_number_clean(self.cleaned_data["passport_number"])
        if not PASSPORT_NUMBER.fullmatch(number):
            raise forms.ValidationError(
                _("Enter the passport number as printed: 5 to 20 letters and digits.")
            )
        return number

    @classmethod
    def initial_from(cls, travel) -> dict | None:
        """What the student gave before, without binding the form to it (the saved row
        changes only through the service)."""
        return model_to_dict(travel, fields=cls.Meta.fields) if travel else None


def _rating(label) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=RATINGS,
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


class CompletionForm(forms.Form):
    attended = forms.TypedChoiceField(
        label=_("Did the student attend the rotation?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    days_attended = forms.IntegerField(
        label=_("Days attended"),
        min_value=0,
        max_value=366,
        required=False,
        help_text=_("Leave empty if the student did not attend."),
    )
    clinical_skills = _rating(_("Clinical skills"))
    professionalism = _rating(_("Professionalism"))
    communication = _rating(_("Communication"))
    comment = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        help_text=_("The student reads it. At most 1,000 characters."),
    )

    RATING_FIELDS = Completion.RATING_FIELDS

    def clean(self):
        data = super().clean()
        if data.get("attended"):
            if not data.get("days_attended"):
                self.add_error("days_attended", _("Give the number of days attended."))
            for name in self.RATING_FIELDS:
                if name in data and data[name] is None:
                    self.add_error(name, _("Choose a rating from 1 to 5."))
        else:
            data["days_attended"] = 0
        return data

    @classmethod
    def initial_from(cls, completion) -> dict | None:
        if completion is None:
            return None
        initial = {
            "attended": "yes" if completion.attended else "no",
            "days_attended": completion.days_attended or None,
            "comment": completion.comment,
        }
        initial.update({name: getattr(completion, name) for name in cls.RATING_FIELDS})
        return initial
