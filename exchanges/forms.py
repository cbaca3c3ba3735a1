"""Forms of the exchange pages. They validate input; the services decide and write."""

import zoneinfo
from datetime import datetime

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import get_language_info, override
from django.utils.translation import gettext_lazy as _

from exchanges.enums import Direction, DocumentKind
from exchanges.models import ExchangeCycle, Rotation
from exchanges.models.endorsement import DECLINE_REASON_MAX
from exchanges.models.ranking import DocumentCheck
from exchanges.selectors.endorsements import partner_institutions
from exchanges.services.endorsements import YEARS
from exchanges.services.rotations import EDITABLE_FIELDS, TRANSLATED_FIELDS
from portal.content_languages import (
    DEFAULT,
    LANGUAGES,
    language_heading,
    localized_names,
    marked,
)
from portal.taxonomy import LANGUAGE_CHOICES


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class RotationForm(forms.ModelForm):
    """A school's rotation. The deadline is typed and shown in the cycle's time zone. Its texts
    are typed per language, in a fieldset each (`language_fieldsets`): English required, the
    others optional (a reader of a language not given reads the English)."""

    required_documents = forms.MultipleChoiceField(
        label=_("Required documents"),
        choices=DocumentKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Students upload these before they submit their rank list."),
    )

    class Meta:
        model = Rotation
        fields = list(EDITABLE_FIELDS)
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "deadline": DateTimeInput(),
            **{name: forms.Textarea(attrs={"rows": 4}) for name in localized_names("requirements")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in TRANSLATED_FIELDS:
            for code in LANGUAGES:
                formfield = self.fields[f"{field}_{code}"]
                # Each fieldset reads in its own language, as what is typed in it: "Titre",
                # "العنوان" (and no two fields of the form share a label).
                with override(code):
                    label = str(capfirst(Rotation._meta.get_field(field).verbose_name))
                formfield.label = marked(label, code)
                # What is typed in Arabic runs right to left, whatever the page's direction.
                direction = "rtl" if get_language_info(code)["bidi"] else "ltr"
                formfield.widget.attrs.update({"lang": code, "dir": direction})
                if code != DEFAULT:
                    formfield.help_text = ""
        cycles = ExchangeCycle.objects.filter(published_run__isnull=True)
        if self.instance.cycle_id:
            cycles = cycles | ExchangeCycle.objects.filter(pk=self.instance.cycle_id)
        self.fields["cycle"].queryset = cycles.order_by("-opens_at", "-pk")
        self.fields["cycle"].empty_label = _("No cycle yet (listed, not ranked)")
        self.fields["capacity"].min_value = 0
        self.fields["fee_currency"].widget.attrs.update({"size": 3, "autocomplete": "off"})
        if self.instance.deadline:
            zone = self._zone(self.instance.cycle)
            self.initial["deadline"] = timezone.localtime(self.instance.deadline, zone).replace(
                tzinfo=None
            )
        zone_name = self.instance.cycle.time_zone if self.instance.cycle_id else "UTC"
        self.fields["deadline"].help_text = _(
            "Students may add the rotation to their list until then. Time zone: the cycle's "
            "(%(zone)s when no cycle is chosen)."
        ) % {"zone": zone_name}

    def add_prefix(self, field_name):
        # English keeps the names the form had before its texts had languages ("title",
        # "department" …): what posts them (a script, a page left open) goes on working.
        base, _sep, code = field_name.rpartition("_")
        if code == DEFAULT and base in TRANSLATED_FIELDS:
            field_name = base
        return super().add_prefix(field_name)

    def language_fieldsets(self) -> list[dict]:
        """The texts, one fieldset per language, English first: its code, its heading (the
        language's own name) and its fields; `open` when something is typed or wrong in it."""
        fieldsets = []
        for code in LANGUAGES:
            fields = [self[name] for name in localized_names(*TRANSLATED_FIELDS, languages=(code,))]
            fieldsets.append(
                {
                    "code": code,
                    "heading": language_heading(code),
                    "fields": fields,
                    "required": code == DEFAULT,
                    "open": code == DEFAULT
                    or any(field.errors or field.value() for field in fields),
                }
            )
        return fieldsets

    @staticmethod
    def _zone(cycle) -> zoneinfo.ZoneInfo:
        return cycle.zone if cycle else zoneinfo.ZoneInfo("UTC")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error(
                "end_date",
                _("The rotation ends (%(end)s) before it starts (%(start)s). Check both dates.")
                % {"end": end.isoformat(), "start": start.isoformat()},
            )
        deadline: datetime | None = cleaned.get("deadline")
        if deadline is not None:
            # The field read the wall-clock time in the server's zone; it meant the cycle's.
            wall = timezone.make_naive(deadline, timezone.get_current_timezone())
            cleaned["deadline"] = wall.replace(tzinfo=self._zone(cleaned.get("cycle")))
        currency = cleaned.get("fee_currency")
        if currency:
            cleaned["fee_currency"] = currency.upper()
        return cleaned

    def _post_clean(self):
        # The model's own clean repeats the date check; one message per error is enough.
        if "end_date" in self.errors:
            return
        super()._post_clean()


class ProfileForm(forms.Form):
    """The exchange dossier a school reads with the list."""

    home_school = forms.CharField(label=_("Your medical school"), max_length=200)
    year_of_study = forms.IntegerField(label=_("Year of study"), min_value=1, max_value=8)
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=LANGUAGE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
    )

    # Shown first; the rest of the list waits behind "Other languages" (a long scrolling
    # multi-select is hard to use on a phone, and checkboxes need no JavaScript).
    common_languages = ("ar", "en", "es", "fr", "pt", "sw")

    def other_languages_chosen(self) -> bool:
        value = self["languages"].value() or []
        return any(code not in self.common_languages for code in value)


class MoveForm(forms.Form):
    direction = forms.TypedChoiceField(choices=Direction.choices, coerce=Direction)


class OrderForm(forms.Form):
    """The whole order at once, as sent by drag and drop."""

    order = forms.CharField()

    def clean_order(self) -> list[int]:
        try:
            return [int(part) for part in self.cleaned_data["order"].split(",") if part.strip()]
        except ValueError:
            raise forms.ValidationError(_("This order cannot be read.")) from None


class DecisionForm(forms.Form):
    acceptable = forms.TypedChoiceField(
        choices=[("1", _("Add to the ranking")), ("0", _("Not acceptable"))],
        coerce=lambda value: value == "1",
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(choices=[("confirm", _("Confirm")), ("decline", _("Decline"))])
    understood = forms.BooleanField(
        label=_("I understand that declining gives my seat to another student."),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == "decline" and not cleaned.get("understood"):
            self.add_error(
                "understood", _("Tick this box to decline: your seat goes to another student.")
            )
        return cleaned


class RunForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        max_length=300,
        required=False,
        help_text=_("For example: after Nairobi corrected its ranking."),
    )


class CompareForm(forms.Form):
    run = forms.TypedMultipleChoiceField(coerce=int, label=_("Runs to compare"))

    def __init__(self, *args, runs=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["run"].choices = [(run.pk, str(run.number)) for run in runs]

    def clean_run(self):
        runs = self.cleaned_data["run"]
        if len(runs) < 2:
            raise forms.ValidationError(_("Choose at least two runs to compare."))
        return runs


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Email address"))
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        help_text=_("Used when the person has no account yet."),
    )


class DocumentCheckForm(forms.Form):
    """One document's check on the dossier page: the button pressed, and what goes with it."""

    decision = forms.ChoiceField(
        choices=[(DocumentCheck.ACCEPTED, _("Accept")), (DocumentCheck.REJECTED, _("Reject"))]
    )
    expires_on = forms.DateField(
        required=False,
        error_messages={"invalid": _("Give the date it is valid until as a date.")},
    )
    reason = forms.CharField(required=False)  # its length is the service's to refuse


class EndorsementRequestForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Your home school"),
        queryset=partner_institutions(),
        empty_label=_("Choose your school"),
        help_text=_("The medical school where you study, among the programme's partners."),
    )


class EndorseForm(forms.Form):
    year_confirmed = forms.TypedChoiceField(
        label=_("Year of study"), choices=[(year, str(year)) for year in YEARS], coerce=int
    )
    good_standing = forms.BooleanField(
        label=_("The student is in good standing at our school."), required=False
    )


class EndorsementDeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=DECLINE_REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The student reads it."),
    )


# The second round and first-come claims (issue 17; exchanges/services/second_round.py, claims.py).


class SecondRoundOpenForm(forms.Form):
    """When the second round's window closes, typed and shown in the cycle's time zone."""

    closes_at = forms.DateTimeField(label=_("Second round closes at"), widget=DateTimeInput())

    def __init__(self, *args, cycle: ExchangeCycle, **kwargs):
        super().__init__(*args, **kwargs)
        self.cycle = cycle
        self.fields["closes_at"].help_text = _(
            "Students rank and schools accept until then; the second run follows. Time zone: "
            "%(zone)s."
        ) % {"zone": cycle.time_zone}

    def clean_closes_at(self) -> datetime:
        # The field read the wall-clock time in the server's zone; it meant the cycle's.
        wall = timezone.make_naive(self.cleaned_data["closes_at"], timezone.get_current_timezone())
        return wall.replace(tzinfo=self.cycle.zone)


class ClaimDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("confirm", _("Confirm the seat")), ("decline", _("Decline"))],
    )


class FirstComeForm(forms.Form):
    accepts_first_come = forms.BooleanField(
        label=_("Take first-come claims of our free seats"),
        required=False,
        help_text=_(
            "After the second round, students may claim a free seat at your rotations. You "
            "confirm or decline each claim; nobody is placed without you."
        ),
    )
