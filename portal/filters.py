"""Filters of the portal's own lists: the staff's audit log."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal.models import AuditEntry


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"})


class AuditEntryFilter(django_filters.FilterSet):
    """Plain GET parameters, so a filtered log is a link to share and its CSV the same rows."""

    actor = django_filters.CharFilter(label=_("Person (name or email)"), method="filter_actor")
    action = django_filters.ChoiceFilter(label=_("Action"), empty_label=_("Any action"))
    object_type = django_filters.ChoiceFilter(label=_("About"), empty_label=_("Anything"))
    since = django_filters.DateFilter(
        label=_("From"), field_name="at", lookup_expr="date__gte", widget=_date_input()
    )
    until = django_filters.DateFilter(
        label=_("Until"), field_name="at", lookup_expr="date__lte", widget=_date_input()
    )

    class Meta:
        model = AuditEntry
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The actions and kinds of object the log holds, in one query: a list to pick from
        # rather than words to guess.
        pairs = list(AuditEntry.objects.order_by().values_list("action", "object_type").distinct())
        self.filters["action"].extra["choices"] = [(a, a) for a in sorted({a for a, _t in pairs})]
        self.filters["object_type"].extra["choices"] = [
            (t, t) for t in sorted({t for _a, t in pairs})
        ]

    def filter_actor(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor__full_name__icontains=value) | Q(actor__email__icontains=value)
        )
