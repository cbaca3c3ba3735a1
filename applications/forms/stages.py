"""Forms of the second stage: the stage and its rubric, slots, the shortlist, a booking and the
panel's scores. They check shapes; the services in `applications.services.stages` decide."""

from django import forms
from django.forms import modelformset_factory
from django.utils.text import capfirst
from django.utils.translation import get_language_info, override
from django.utils.translation import gettext_lazy as _

from applications.enums import StageKind
from applications.models import Stage, StageCriterion
from portal.content_languages import (
    DEFAULT,
    LANGUAGES,
    content_html,
    language_heading,
    localized_names,
    marked,
)

STAGE_TEXTS = ("name", "instructions", "location")
CRITERION_TEXTS = ("name", "description")


def _label_languages(form: forms.BaseForm, model, fields: tuple[str, ...]) -> None:
    """Each language's field is labelled in that language, and typed in its direction."""
    for field in fields:
        for code in LANGUAGES:
            formfield = form.fields[f"{field}_{code}"]
            with override(code):
                label = str(capfirst(model._meta.get_field(field).verbose_name))
            formfield.label = marked(label, code)
            direction = "rtl" if get_language_info(code)["bidi"] else "ltr"
            formfield.widget.attrs.update({"lang": code, "dir": direction})
            formfield.required = code == DEFAULT and not model._meta.get_field(field).blank
            if code != DEFAULT:
                formfield.help_text = ""


def _fieldsets(form: forms.BaseForm, fields: tuple[str, ...]) -> list[dict]:
    """One fieldset per language, English first (as `exchanges.forms.RotationForm`)."""
    fieldsets = []
    for code in LANGUAGES:
        bound = [form[name] for name in localized_names(*fields, languages=(code,))]
        fieldsets.append(
            {
                "code": code,
                "heading": language_heading(code),
                "fields": bound,
                "required": code == DEFAULT,
                "open": code == DEFAULT or any(f.errors or f.value() for f in bound),
            }
        )
    return fieldsets


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["kind", *localized_names(*STAGE_TEXTS), "slot_minutes"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 4}) for name in localized_names("instructions")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_languages(self, Stage, STAGE_TEXTS)
        self.fields["kind"].widget = forms.RadioSelect(choices=StageKind.choices)

    def language_fieldsets(self) -> list[dict]:
        return _fieldsets(self, STAGE_TEXTS)


class StageCriterionForm(forms.ModelForm):
    class Meta:
        model = StageCriterion
        fields = [*localized_names(*CRITERION_TEXTS), "weight", "scale_max"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 2}) for name in localized_names("description")
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _label_languages(self, StageCriterion, CRITERION_TEXTS)

    def english_fields(self):
        return [self[name] for name in localized_names(*CRITERION_TEXTS, languages=(DEFAULT,))]

    def other_fields(self):
        others = [code for code in LANGUAGES if code != DEFAULT]
        return [self[name] for name in localized_names(*CRITERION_TEXTS, languages=others)]


StageCriterionFormSet = modelformset_factory(
    StageCriterion, form=StageCriterionForm, extra=2, can_delete=True
)


def criteria_values(formset) -> list[dict]:
    """What the service needs from the rubric's rows: blank new rows left out."""
    values = []
    for form in formset.forms:
        if not form.instance.pk and not form.has_changed():
            continue
        data = {name: form.cleaned_data.get(name) for name in StageCriterionForm.Meta.fields}
        data["id"] = form.instance.pk
        data["delete"] = bool(form.cleaned_data.get("DELETE"))
        values.append(data)
    return values


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class SlotsForm(forms.Form):
    """A day's slots, typed in the call's time zone (named in the help texts)."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("First slot starts at"), widget=TimeInput())
    end = forms.TimeField(label=_("Last slot ends by"), widget=TimeInput())
    minutes = forms.IntegerField(label=_("Minutes per slot"), min_value=5, max_value=480)

    def __init__(self, *args, zone: str, **kwargs):
        super().__init__(*args, **kwargs)
        note = _("In the call's time zone, %(zone)s.") % {"zone": zone}
        self.fields["start"].help_text = note
        self.fields["end"].help_text = note


class ShortlistForm(forms.Form):
    """The applications ticked on the ranking board."""

    application = forms.TypedMultipleChoiceField(
        label=_("Applications"), coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].choices = [(pk, str(pk)) for pk in candidates]


class ShortlistTopForm(forms.Form):
    top = forms.IntegerField(
        label=_("Shortlist the top"),
        min_value=1,
        max_value=500,
        help_text=_("The best ranked applications on the board, without a decision."),
    )


class BookingForm(forms.Form):
    slot = forms.IntegerField(
        label=_("Time"), error_messages={"required": _("Choose one of the times offered.")}
    )


class StageScoreForm(forms.Form):
    comment = forms.CharField(
        label=_("Notes for the panel"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        scored = {}
        for criterion in criteria:
            scored[f"c{criterion.pk}"] = forms.TypedChoiceField(
                label=content_html(criterion, "name"),
                help_text=content_html(criterion, "description"),
                choices=[("", "—")] + [(n, str(n)) for n in range(criterion.scale_max + 1)],
                coerce=int,
                empty_value=None,
                required=False,  # the service says which one is missing
            )
        self.fields = {**scored, **self.fields}

    def scores(self) -> dict[str, int | None]:
        return {
            name[1:]: value
            for name, value in self.cleaned_data.items()
            if name.startswith("c") and name[1:].isdigit()
        }
