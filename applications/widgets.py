"""Admin widgets for the call's configuration."""

import json

from django import forms


class JSONCheckboxSelectMultiple(forms.CheckboxSelectMultiple):
    """Checkboxes for a JSON list field: the form field hands the widget a JSON string."""

    def format_value(self, value):
        if isinstance(value, str):
            try:
                value = json.loads(value)
            except ValueError:
                value = []
        return super().format_value(value)

    def value_from_datadict(self, data, files, name):
        # JSON text, as the form field reads what is typed: a form shown again after an error
        # decodes it like any other JSON field's input.
        return json.dumps(super().value_from_datadict(data, files, name))
