"""Forms of the committee's work: conflicts, scoring, swapping a reviewer."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from applications.enums import ConflictKind, DecisionOutcome
from portal.content_languages import content_html


class ConflictForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Conflict with"), choices=ConflictKind.choices, widget=forms.RadioSelect
    )
    application = forms.TypedChoiceField(
        label=_("Application"), coerce=int, required=False, empty_value=None
    )
    institution = forms.CharField(label=_("Institution"), max_length=200, required=False)
    country = LazyTypedChoiceField(
        label=_("Country"), choices=[("", "—"), *countries], required=False
    )
    person_email = forms.EmailField(
        label=_("Email"),
        required=False,
        help_text=_("The applicant's email address: every application of theirs is covered."),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        help_text=_("For example: I taught this student; I work at this school."),
    )

    def __init__(self, *args, applications, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [("", "—")] + [
            (a.pk, label) for a, label in applications
        ]
        if members is not None:  # the chair declares for a reviewer
            self.fields = {
                "member": forms.TypedChoiceField(
                    label=_("Reviewer"), coerce=int, choices=[(m.pk, str(m.user)) for m in members]
                ),
                **self.fields,
            }

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ConflictKind.APPLICATION and not data.get("application"):
            self.add_error("application", _("Choose the application."))
        if kind == ConflictKind.INSTITUTION and not (data.get("institution") or "").strip():
            self.add_error("institution", _("Name the institution."))
        if kind == ConflictKind.COUNTRY and not data.get("country"):
            self.add_error("country", _("Choose the country."))
        if kind == ConflictKind.PERSON and not data.get("person_email"):
            self.add_error("person_email", _("Give the person's email address."))
        return data


class ReviewForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    comment = forms.CharField(
        label=_("Comment for the committee"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"),
        choices=[("", "—"), *DecisionOutcome.choices],
        required=False,
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        scored = {}
        for criterion in criteria:
            scored[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=content_html(criterion, "name"),
                help_text=content_html(criterion, "description"),
                choices=[("", "—")] + [(n, str(n)) for n in range(0, criterion.scale_max + 1)],
                coerce=int,
                empty_value=None,
                required=False,
            )
        self.fields = {**scored, **self.fields}

    def scores(self) -> dict[str, int | None]:
        return {
            name[1:]: value for name, value in self.cleaned_data.items() if name.startswith("c")
        }


class SwapForm(forms.Form):
    member = forms.TypedChoiceField(label=_("New reviewer"), coerce=int)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].choices = [(m.pk, str(m.user)) for m in members]
