"""Forms of the application flow (eligibility, profile, sections, referees, documents), built
from the call's configuration. The call's texts are shown in the reader's language, or in
English marked as such (`portal.content_languages`); a choice answer keeps the English
choice whatever language it is given in."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django_countries import countries
from django_countries.fields import LazyTypedChoiceField

from applications.algorithms.completeness import word_count
from applications.enums import AwardMode, QuestionKind
from portal.content_languages import choice_html, content_html, with_required_mark
from portal.templatetags.formatting import date_text, number

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


class EligibilityForm(forms.Form):
    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        for question in call.eligibility_questions.all():
            self.fields[f"q{question.pk}"] = forms.ChoiceField(
                label=content_html(question, "text"), choices=YES_NO, widget=forms.RadioSelect
            )

    def answers(self) -> dict[int, bool]:
        return {int(name[1:]): value == "yes" for name, value in self.cleaned_data.items()}


class ProfileForm(forms.Form):
    """About the applicant: the same for every call. Nothing is required to save a draft."""

    country = LazyTypedChoiceField(
        label=_("Country of study"), choices=[("", "—"), *countries], required=False
    )
    institution = forms.CharField(label=_("Medical school"), max_length=200, required=False)
    year_of_study = forms.TypedChoiceField(
        label=_("Year of study"),
        choices=[("", "—")] + [(n, str(n)) for n in range(1, 9)],
        coerce=int,
        empty_value=None,
        required=False,
    )

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        if call.award_mode == AwardMode.REQUESTED:
            self.fields["requested_amount"] = forms.DecimalField(
                label=_("Amount requested (%(currency)s)") % {"currency": call.currency},
                help_text=_("Up to %(amount)s %(currency)s.")
                % {"amount": call.award_amount, "currency": call.currency},
                min_value=Decimal("0"),
                max_value=call.award_amount,
                decimal_places=2,
                required=False,
            )


class AboutForm(ProfileForm):
    version = forms.IntegerField(widget=forms.HiddenInput)


def _word_limit_validator(limit: int):
    def validate(value):
        count = word_count(value)
        if count > limit:
            raise forms.ValidationError(
                ngettext(
                    "Keep this to %(limit)d word; it has %(count)d.",
                    "Keep this to %(limit)d words; it has %(count)d.",
                    limit,
                )
                % {"limit": limit, "count": count}
            )

    return validate


def answer_field(question: dict) -> forms.Field:
    """The form field for one question of an application's snapshot."""
    label = content_html(question, "label")
    common = {
        "label": label,
        "help_text": content_html(question, "help_text"),
        "required": False,  # drafts save with gaps; submission checks what is required
    }
    kind = question["kind"]
    if kind in (QuestionKind.SHORT_TEXT, QuestionKind.LONG_TEXT):
        field = _text_field(question, common)
    elif kind == QuestionKind.NUMBER:
        field = forms.DecimalField(**common)
        low, high = _decimal(question.get("min_value")), _decimal(question.get("max_value"))
        _bound_numbers(field, low, high)
    elif kind == QuestionKind.CHOICE:
        field = forms.ChoiceField(choices=_choices(question), widget=forms.RadioSelect, **common)
    elif kind == QuestionKind.MULTIPLE_CHOICE:
        field = forms.MultipleChoiceField(
            choices=_choices(question),
            widget=forms.CheckboxSelectMultiple,
            **common,
        )
    elif kind == QuestionKind.DATE:
        field = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), **common)
        _bound_dates(field, _date(question.get("earliest")), _date(question.get("latest")))
    elif kind == QuestionKind.YES_NO:
        field = forms.ChoiceField(choices=YES_NO, widget=forms.RadioSelect, **common)
    else:  # pragma: no cover - the kinds are a closed set
        raise ValueError(kind)
    if question["required"]:
        field.widget.attrs["aria-required"] = "true"
        field.label = with_required_mark(label)
    return field


def _text_field(question: dict, common: dict) -> forms.CharField:
    """Short or long text, within the question's own limit on characters (never above what the
    portal keeps) and, for long text, its word limit."""
    if question["kind"] == QuestionKind.SHORT_TEXT:
        field = forms.CharField(max_length=min(question.get("max_length") or 500, 500), **common)
    else:
        field = forms.CharField(
            widget=forms.Textarea(attrs={"rows": 8}),
            max_length=min(question.get("max_length") or 20_000, 20_000),
            **common,
        )
        if question.get("word_limit"):
            limit = question["word_limit"]
            field.validators.append(_word_limit_validator(limit))
            field.widget.attrs["data-word-limit"] = limit
            _add_help(field, _("At most %(limit)d words.") % {"limit": limit})
    if question.get("max_length"):
        limit = field.max_length
        _add_help(
            field,
            ngettext("At most %(limit)d character.", "At most %(limit)d characters.", limit)
            % {"limit": limit},
        )
    return field


def _decimal(value) -> Decimal | None:
    try:
        return None if value in (None, "") else Decimal(str(value))
    except InvalidOperation:
        return None


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def _plain(value: Decimal) -> str:
    """A bound as the reader writes numbers, without the zeros the column pads it with."""
    exact = value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()
    return number(exact)


def _add_help(field: forms.Field, sentence: str) -> None:
    field.help_text = (
        format_html("{} {}", field.help_text, sentence) if field.help_text else sentence
    )


def _bound_numbers(field: forms.Field, low: Decimal | None, high: Decimal | None) -> None:
    """One sentence saying both bounds, as help and as the error, whichever bound is broken."""
    if low is None and high is None:
        return
    if low is not None and high is not None:
        sentence = _("Give a number between %(low)s and %(high)s.")
    elif low is not None:
        sentence = _("Give a number of at least %(low)s.")
    else:
        sentence = _("Give a number of at most %(high)s.")
    words = {
        "low": _plain(low) if low is not None else "",
        "high": _plain(high) if high is not None else "",
    }

    def validate(value):
        if (low is not None and value < low) or (high is not None and value > high):
            raise forms.ValidationError(str(sentence) % words, code="out_of_bounds")

    field.validators.append(validate)
    if low is not None:
        field.widget.attrs["min"] = str(low)
    if high is not None:
        field.widget.attrs["max"] = str(high)
    _add_help(field, str(sentence) % words)


def _bound_dates(field: forms.Field, earliest: date | None, latest: date | None) -> None:
    if earliest is None and latest is None:
        return
    if earliest is not None and latest is not None:
        sentence = _("Give a date between %(earliest)s and %(latest)s.")
    elif earliest is not None:
        sentence = _("Give a date on or after %(earliest)s.")
    else:
        sentence = _("Give a date on or before %(latest)s.")
    words = {
        "earliest": date_text(earliest) if earliest else "",
        "latest": date_text(latest) if latest else "",
    }

    def validate(value):
        if (earliest and value < earliest) or (latest and value > latest):
            raise forms.ValidationError(str(sentence) % words, code="out_of_bounds")

    field.validators.append(validate)
    if earliest:
        field.widget.attrs["min"] = earliest.isoformat()
    if latest:
        field.widget.attrs["max"] = latest.isoformat()
    _add_help(field, str(sentence) % words)


def _choices(question: dict) -> list[tuple[str, str]]:
    """The English choice as the value (what the answer keeps), shown in the reader's
    language."""
    return [(choice, choice_html(question, choice)) for choice in question["choices"]]


class SectionForm(forms.Form):
    """One section of the application's questions, plus the version it was read at."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, questions: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions:
            self.fields[f"q{question['id']}"] = answer_field(question)

    def valid_answers(self) -> dict[str, object]:
        """Answers that passed validation: a draft keeps them even when others did not."""
        cleaned = getattr(self, "cleaned_data", {})
        return {
            name[1:]: value
            for name, value in cleaned.items()
            if name.startswith("q") and name not in self.errors
        }


class RefereeForm(forms.Form):
    name = forms.CharField(label=_("Referee's name"), max_length=200)
    email = forms.EmailField(label=_("Referee's email"))


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional, shared with the applicant)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SubmitForm(forms.Form):
    """The declaration the applicant ticks before submitting."""

    declaration = forms.BooleanField(
        label=_(
            "I declare that the information I have given is true and complete, and that the "
            "documents I have uploaded are genuine."
        ),
        error_messages={"required": _("Tick the declaration to submit your application.")},
    )
