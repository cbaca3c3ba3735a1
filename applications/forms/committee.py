"""Forms of the committee's own pages: inviting a member, a member's expertise, languages and
load cap, and a page of bids."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from applications.enums import BidLevel
from portal.taxonomy import LANGUAGE_CHOICES, Specialty

ROLE_CHOICES = [("reviewer", _("Reviewer")), ("chair", _("Chair"))]


class InvitationForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(
        label=_("Role"), choices=ROLE_CHOICES, initial="reviewer", widget=forms.RadioSelect
    )


class MembershipForm(forms.Form):
    """A member's expertise as chosen tags (specialties and countries by their codes, which the
    assignment's affinity matches), other tags one a line (a medical school, for example),
    the languages they read, and the most applications they will take."""

    specialties = forms.MultipleChoiceField(
        label=_("Specialties"),
        choices=Specialty.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.MultipleChoiceField(
        label=_("Countries you know well"),
        choices=lambda: [(country.code, country.name) for country in countries],
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_(
            "Applications from these countries suit you better. Choose several with Ctrl or ⌘."
        ),
    )
    other_tags = forms.CharField(
        label=_("Other expertise"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One a line, for example a medical school you know well."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you read"),
        choices=LANGUAGE_CHOICES,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    load_cap = forms.IntegerField(
        label=_("Most applications you can review"),
        min_value=0,
        max_value=32767,
        required=False,
        help_text=_("Leave empty for no limit."),
    )
    is_chair = forms.BooleanField(label=_("Chair of the call"), required=False)

    def __init__(self, *args, membership, may_change_chair: bool, **kwargs):
        specialty_codes = set(Specialty.values)
        country_codes = {code for code, _name in countries}
        tags = [str(tag) for tag in membership.expertise or []]
        kwargs.setdefault(
            "initial",
            {
                "specialties": [t for t in tags if t in specialty_codes],
                "countries": [t for t in tags if t in country_codes],
                "other_tags": "\n".join(
                    t for t in tags if t not in specialty_codes and t not in country_codes
                ),
                "languages": list(membership.languages or []),
                "load_cap": membership.load_cap,
                "is_chair": membership.is_chair,
            },
        )
        super().__init__(*args, **kwargs)
        if not may_change_chair:
            del self.fields["is_chair"]

    def expertise(self) -> list[str]:
        data = self.cleaned_data
        others = [line.strip() for line in data["other_tags"].splitlines() if line.strip()]
        return [*data["specialties"], *data["countries"], *others]


class BidsForm(forms.Form):
    """One choice per application on a page of bids (`bid_<application id>`); the page
    number travels with it so the member comes back to the same page."""

    page = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, application_ids: list[int], levels: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        for pk in application_ids:
            self.fields[f"bid_{pk}"] = forms.ChoiceField(
                label=_("Your bid on application #%(number)s") % {"number": pk},
                choices=[("", _("No bid")), *BidLevel.choices],
                required=False,
                initial=levels.get(pk, ""),
                widget=forms.RadioSelect,
            )

    def levels(self) -> dict[int, str]:
        return {
            int(name.removeprefix("bid_")): value
            for name, value in self.cleaned_data.items()
            if name.startswith("bid_")
        }
