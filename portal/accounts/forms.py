"""What people type about themselves: their name and language at sign-up, and their profile."""

import unicodedata

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language, get_language_info
from django.utils.translation import gettext_lazy as _

from portal.accounts.models import FormOfAddress, clean_name
from portal.taxonomy import TIME_ZONE_CHOICES

NAME_MAX_LENGTH = 200
# Besides Latin letters, what passports print in a name.
LATIN_NAME_PUNCTUATION = set(" -'.\u2019")  # \u2019: the typographic apostrophe


def full_name_clean(value: str) -> str:
    """Any script, one word or several; at least one letter, and not an email address."""
    value = clean_name(value)
    if "@" in value:
        raise ValidationError(
            _("Please write your name here, not your email address."), code="email_as_name"
        )
    if not any(character.isalpha() for character in value):
        raise ValidationError(_("Please write your name with letters."), code="no_letters")
    return value


def latin_name_clean(value: str) -> str:
    value = clean_name(value)
    for character in value:
        if character in LATIN_NAME_PUNCTUATION or unicodedata.category(character) == "Mn":
            continue
        if not unicodedata.name(character, "").startswith("LATIN "):
            raise ValidationError(
                _("Please use Latin letters only, as your passport spells your name."),
                code="not_latin",
            )
    return value


def language_choices() -> list[tuple[str, str]]:
    """Each of the portal's languages in its own name, as the language switcher shows them."""
    return [(code, get_language_info(code)["name_local"]) for code, _name in settings.LANGUAGES]


def current_language() -> str:
    codes = {code for code, _name in settings.LANGUAGES}
    language = (get_language() or "").split("-")[0]
    return language if language in codes else settings.LANGUAGE_CODE


class NameFields(forms.Form):
    """The fields about a person's name and language, shared by sign-up and the profile page."""

    full_name = forms.CharField(
        label=_("Full name"),
        max_length=NAME_MAX_LENGTH,
        help_text=_(
            "As you write it, in any script. One name is enough if that is your whole name."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
    )
    latin_name = forms.CharField(
        label=_("Name in Latin letters"),
        max_length=NAME_MAX_LENGTH,
        required=False,
        help_text=_(
            "As in your passport, if your name is written in another script. Used on letters "
            "for visas and embassies."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )
    form_of_address = forms.ChoiceField(
        label=_("Form of address"),
        required=False,
        help_text=_("How we address you in emails and letters."),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        required=False,  # left out, the language of the page
        help_text=_("The language of the emails and letters we send you."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Built per form, so that the labels are in the reader's language.
        self.fields["form_of_address"].choices = [("", _("None")), *FormOfAddress.choices]
        self.fields["preferred_language"].choices = language_choices()
        self.fields["preferred_language"].initial = current_language()

    def clean_full_name(self) -> str:
        return full_name_clean(self.cleaned_data["full_name"])

    def clean_latin_name(self) -> str:
        return latin_name_clean(self.cleaned_data["latin_name"])

    def clean_preferred_language(self) -> str:
        return self.cleaned_data["preferred_language"] or current_language()


class SignupForm(NameFields, AllauthSignupForm):
    """allauth's sign-up (email, password twice) with the person's name first; the adapter
    (`AccountAdapter.save_user`) stores the extra fields."""

    field_order = [
        "full_name",
        "latin_name",
        "form_of_address",
        "email",
        "password1",
        "password2",
        "preferred_language",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # An address reads left to right, on an Arabic page too.
        self.fields["email"].widget.attrs["dir"] = "ltr"


class ProfileForm(NameFields):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Used to show times in your own time zone."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [("", _("Not set")), *TIME_ZONE_CHOICES]
