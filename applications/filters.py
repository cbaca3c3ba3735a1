"""Filters (django-filter) of the staff's list of applications and of the ranking board."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from applications.enums import ApplicationState, DecisionOutcome
from applications.models import Application


class ApplicationFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label=_("State"), choices=ApplicationState.choices)
    country = django_filters.ChoiceFilter(label=_("Country"), choices=list(countries))
    institution = django_filters.CharFilter(label=_("Medical school"), lookup_expr="icontains")
    year_of_study = django_filters.NumberFilter(label=_("Year of study"))
    missing = django_filters.ChoiceFilter(
        label=_("Missing items"),
        choices=[("yes", _("Something missing")), ("no", _("Complete"))],
        method="filter_missing",
    )

    class Meta:
        model = Application
        fields = ["state", "country", "institution", "year_of_study", "missing"]

    def filter_missing(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(missing_count__gt=0)
        if value == "no":
            return queryset.filter(missing_count=0)
        return queryset


class BoardFilter(django_filters.FilterSet):
    """Filters the call's applications in SQL; the disagreement flag comes from the board's
    scores (computed before), passed in as the set of flagged application ids."""

    country = django_filters.ChoiceFilter(label=_("Country"), choices=[])
    institution = django_filters.CharFilter(label=_("Medical school"), lookup_expr="icontains")
    state = django_filters.ChoiceFilter(
        label=_("State"),
        choices=[
            (value, label)
            for value, label in ApplicationState.choices
            if value in ApplicationState.on_board()
        ],
    )
    flag = django_filters.ChoiceFilter(
        label=_("Reviewers"),
        choices=[("yes", _("Disagree")), ("no", _("Agree"))],
        method="filter_flag",
    )
    decision = django_filters.ChoiceFilter(
        label=_("Decision"),
        choices=[("none", _("No decision yet")), *DecisionOutcome.choices],
        method="filter_decision",
    )

    class Meta:
        model = Application
        fields = ["country", "institution", "state", "flag", "decision"]

    def __init__(self, *args, flagged: set[int], country_codes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.flagged = flagged
        # Only the countries of this call's applicants: a short list, in the reader's language.
        present = set(country_codes)
        self.filters["country"].extra["choices"] = [
            (code, name) for code, name in countries if code in present
        ]

    def filter_flag(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(pk__in=self.flagged)
        if value == "no":
            return queryset.exclude(pk__in=self.flagged)
        return queryset

    def filter_decision(self, queryset, name, value):
        if value == "none":
            return queryset.filter(decision__isnull=True)
        return queryset.filter(decision__outcome=value)
