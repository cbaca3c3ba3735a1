"""Filters of the staff's list of applications (django-filter)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from applications.enums import ApplicationState
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
