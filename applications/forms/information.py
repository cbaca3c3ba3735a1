"""Forms of a request for more information: the staff's question and the applicant's answer."""

from django import forms
from django.utils.translation import gettext_lazy as _

from applications.enums import InformationItem
from portal.content_languages import text_and_language


class InformationRequestForm(forms.Form):
    """`item` names what the request is about: "question:<id>" (a question of the
    application's snapshot), "document:<id>" (a document kind of the call) or "other"."""

    item = forms.ChoiceField(label=_("About"))
    message = forms.CharField(
        label=_("Message to the applicant"),
        help_text=_(
            "Say what you need and why; the applicant reads it in the portal and by email."
        ),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        questions = [
            (f"question:{q['id']}", text_and_language(q, "label")[0]) for q in application.questions
        ]
        documents = [
            (f"document:{kind.pk}", text_and_language(kind, "name")[0])
            for kind in application.call.document_kinds.all()
        ]
        choices = [("", "—")]
        if questions:
            choices.append((_("A question"), questions))
        if documents:
            choices.append((_("A document"), documents))
        choices.append(("other", InformationItem.OTHER.label))
        self.fields["item"].choices = choices

    def chosen_item(self) -> tuple[str, int | None]:
        """(InformationItem, the question's or document kind's id, or None for "other")."""
        kind, _sep, number = self.cleaned_data["item"].partition(":")
        return kind, int(number) if number else None


class InformationAnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Your answer"),
        max_length=5000,
        required=False,  # a file alone may answer; the service says when neither is given
        widget=forms.Textarea(attrs={"rows": 6}),
    )
