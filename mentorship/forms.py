"""Forms of mentoring: they check input and keep what was typed; services do the rest."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from mentorship.enums import EndReason
from mentorship.models import MatchingWeights
from mentorship.models.people import MAX_CAPACITY
from mentorship.reasons import language_name
from portal.taxonomy import LANGUAGE_CHOICES, LANGUAGE_NAMES, TIME_ZONE_CHOICES, Specialty


def _country_choices():
    # Names in the reader's language, sorted in it: built per form, not at import.
    return [(country.code, country.name) for country in countries]


#: Listed first: the portal's languages and the most common shared ones in global health.
COMMON_LANGUAGES = ["en", "fr", "ar", "es", "pt", "sw"]


def _language_choices(current=()):
    common = [(code, language_name(code)) for code in COMMON_LANGUAGES]
    others = sorted(
        (
            (code, language_name(code))
            for code, _e in LANGUAGE_CHOICES
            if code not in COMMON_LANGUAGES
        ),
        key=lambda choice: choice[1].casefold(),
    )
    # Keep codes saved earlier that the shared list lacks, so an edit never drops them.
    others += [(code, code) for code in current or () if code not in LANGUAGE_NAMES]
    return [(_("Common"), common), (_("All languages"), others)]


def _long_text(label, *, max_length: int, rows: int, required: bool = True, help_text=""):
    """A few lines of free text, in a box of `rows` lines."""
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=help_text,
    )


def _specialties(label, *, required: bool = True, help_text=""):
    return forms.MultipleChoiceField(
        label=label,
        choices=Specialty.choices,
        required=required,
        widget=forms.CheckboxSelectMultiple,
        help_text=help_text,
    )


class ScrollingCheckboxes(forms.CheckboxSelectMultiple):
    """A long list of checkboxes in a box that scrolls (see mentorship.css)."""

    def __init__(self, attrs=None):
        super().__init__(attrs={"class": "checkbox-scroll", **(attrs or {})})


class _PeopleForm(forms.Form):
    full_name = forms.CharField(
        label=_("Your name"),
        max_length=200,
        help_text=_("As the other side of the mentorship will see it."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        widget=ScrollingCheckboxes,
        help_text=_("A mentor and a mentee must share at least one language."),
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=TIME_ZONE_CHOICES,
        help_text=_("Used to pair people whose working hours overlap, and to show local times."),
    )

    def __init__(self, *args, guess_time_zone: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.initial.get("languages") or ()
        self.fields["languages"].choices = _language_choices(current)
        if guess_time_zone:
            # On a first visit mentorship.js preselects the browser's zone, if still UTC.
            self.fields["time_zone"].widget.attrs["data-guess-time-zone"] = ""


class MentorProfileForm(_PeopleForm):
    specialties = _specialties(_("Your specialties"))
    countries = forms.MultipleChoiceField(
        label=_("Countries whose health system you know"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Where you trained, practised or lived. Hold Ctrl (or Cmd) to choose several."),
    )
    capacity = forms.IntegerField(
        label=_("How many mentees you can take at a time"),
        min_value=0,
        max_value=MAX_CAPACITY,
        initial=2,
        help_text=_("0 means you take no new mentee for now."),
    )
    availability = forms.CharField(
        label=_("Availability"),
        required=False,
        max_length=300,
        help_text=_("For example: one video call a month, weekday evenings."),
    )
    bio = _long_text(
        _("Short bio"),
        required=False,
        max_length=2000,
        rows=5,
        help_text=_("Your training, your work now, and what you can help with."),
    )

    field_order = [
        "full_name",
        "specialties",
        "languages",
        "countries",
        "time_zone",
        "capacity",
        "availability",
        "bio",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["countries"].choices = _country_choices()


class MenteeRequestForm(_PeopleForm):
    interests = _specialties(
        _("Specialties you are interested in"),
        required=False,
        help_text=_("Leave empty if you have not chosen yet."),
    )
    preferred_country = forms.ChoiceField(
        label=_("Country where you hope to practise"), required=False
    )
    goals = _long_text(
        _("What would you like help with?"),
        max_length=2000,
        rows=5,
        help_text=_(
            "For example: choosing a specialty, applying for residency abroad, "
            "a research project, returning home to practise."
        ),
    )

    field_order = [
        "full_name",
        "interests",
        "languages",
        "time_zone",
        "preferred_country",
        "goals",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["preferred_country"].choices = [
            ("", _("No preference")),
            *_country_choices(),
        ]


class CheckInForm(forms.Form):
    held_on = forms.DateField(
        label=_("Date of the conversation"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Year-month-day, for example 2026-03-14."),
    )
    notes = _long_text(_("What you talked about"), max_length=4000, rows=4)
    next_step = forms.CharField(label=_("Next step"), required=False, max_length=300)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"held_on": timezone.now().date()})
        super().__init__(*args, **kwargs)


class GoalsForm(forms.Form):
    goals = _long_text(_("Goals of this mentorship"), max_length=2000, rows=4, required=False)


class EndMentorshipForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why does this mentorship end?"),
        choices=EndReason.choices,
        widget=forms.RadioSelect,
    )
    note = _long_text(
        _("A note (optional)"),
        required=False,
        max_length=1000,
        rows=3,
        help_text=_("The other side and programme staff will read it."),
    )
    find_new_mentor = forms.BooleanField(
        label=_("Find the mentee a new mentor"), required=False, initial=True
    )

    def __init__(self, *args, ask_new_mentor: bool = True, mentee_asks: bool = False, **kw):
        super().__init__(*args, **kw)
        if not ask_new_mentor:
            del self.fields["find_new_mentor"]
        elif mentee_asks:
            self.fields["find_new_mentor"].label = _("I would like a new mentor")
            self.fields["find_new_mentor"].initial = False


class WeightsForm(forms.ModelForm):
    class Meta:
        model = MatchingWeights
        fields = ["specialty", "time_zone", "country", "context", "quiet_weeks"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left empty, the setting stays as it is (a form from before it existed still saves).
        self.fields["quiet_weeks"].required = False

    def clean_quiet_weeks(self) -> int:
        value = self.cleaned_data.get("quiet_weeks")
        return self.instance.quiet_weeks if value is None else value


class PairRuleForm(forms.Form):
    kind = forms.ChoiceField(choices=(("pin", "pin"), ("forbid", "forbid")))
    mentor = forms.IntegerField(min_value=1)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class MentorChoiceForm(forms.Form):
    """One mentor picked from a list of candidates (empty: no mentor, where allowed)."""

    mentor = forms.IntegerField(label=_("Mentor"), required=False, min_value=1)
