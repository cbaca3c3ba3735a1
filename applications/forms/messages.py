"""The form of a message to a call's applicants: a subject and a text in English, and
optionally in each other language of the portal."""

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.content_languages import DEFAULT, LANGUAGES, language_heading

PLACEHOLDER_HELP = _(
    "You may use {name} (the applicant's name), {call} (the call's title), {deadline} (the "
    "call's closing date) and {link} (the application's page)."
)


class MessageForm(forms.Form):
    """Fields `subject_<language>` and `body_<language>` for en, fr, ar, es."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for code in LANGUAGES:
            required = code == DEFAULT
            self.fields[f"subject_{code}"] = forms.CharField(
                label=_("Subject (%(language)s)") % {"language": language_heading(code)},
                max_length=200,
                required=required,
                widget=forms.TextInput(attrs={"dir": "auto", "lang": code}),
            )
            self.fields[f"body_{code}"] = forms.CharField(
                label=_("Message (%(language)s)") % {"language": language_heading(code)},
                max_length=5000,
                required=required,
                help_text=PLACEHOLDER_HELP if required else "",
                widget=forms.Textarea(attrs={"rows": 8, "dir": "auto", "lang": code}),
            )

    def clean(self):
        data = super().clean()
        for code in LANGUAGES:
            subject, body = data.get(f"subject_{code}"), data.get(f"body_{code}")
            if subject and not body:
                self.add_error(f"body_{code}", _("Write the message in this language too."))
            elif body and not subject:
                self.add_error(f"subject_{code}", _("Write the subject in this language too."))
        return data

    def texts(self) -> tuple[dict[str, str], dict[str, str]]:
        """(subjects, bodies), each language → text."""
        data = self.cleaned_data
        return (
            {code: data.get(f"subject_{code}") or "" for code in LANGUAGES},
            {code: data.get(f"body_{code}") or "" for code in LANGUAGES},
        )
