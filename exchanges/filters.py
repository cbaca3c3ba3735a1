"""The rotation catalogue's filters: plain GET parameters, so they work without JavaScript."""

import calendar
from datetime import date

import django_filters
from django.utils import formats
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from exchanges.enums import RotationStatus
from exchanges.models import Rotation
from portal.taxonomy import LANGUAGE_NAMES, Specialty


def _seat_choices() -> list[tuple[str, str]]:
    return [(str(n), gettext("%(count)s or more") % {"count": n}) for n in (1, 2, 3, 5)]


def _month_choices(today: date | None = None, months: int = 18) -> list[tuple[str, str]]:
    today = today or date.today()
    choices = []
    year, month = today.year, today.month
    for _i in range(months):
        first = date(year, month, 1)
        choices.append((first.strftime("%Y-%m"), formats.date_format(first, "YEAR_MONTH_FORMAT")))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return choices


def _present_choices() -> tuple[list, list]:
    """Countries and languages that published rotations use, in one query (a list of 250
    countries is a poor filter on a phone)."""
    pairs = (
        Rotation.objects.filter(status=RotationStatus.PUBLISHED)
        .order_by()
        .values_list("country", "language")
        .distinct()
    )
    codes = list(pairs)
    countries_used = sorted(
        {(c, countries.name(c)) for c, _l in codes}, key=lambda choice: str(choice[1])
    )
    languages_used = sorted(
        {(lang, LANGUAGE_NAMES.get(lang, lang)) for _c, lang in codes},
        key=lambda choice: str(choice[1]),
    )
    return countries_used, languages_used


class RotationFilter(django_filters.FilterSet):
    specialty = django_filters.ChoiceFilter(
        label=_("Specialty"), choices=Specialty.choices, empty_label=_("Any specialty")
    )
    country = django_filters.ChoiceFilter(label=_("Country"), empty_label=_("Any country"))
    language = django_filters.ChoiceFilter(
        label=_("Language of instruction"), empty_label=_("Any language")
    )
    month = django_filters.ChoiceFilter(
        label=_("Running in"),
        choices=_month_choices,
        empty_label=_("Any month"),
        method="filter_month",
    )
    seats = django_filters.ChoiceFilter(
        label=_("Seats"), choices=_seat_choices, empty_label=_("Any number"), method="filter_seats"
    )

    class Meta:
        model = Rotation
        fields = ["specialty", "country", "language", "month", "seats"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Once per request, not once per validation and once more per rendering.
        countries_used, languages_used = _present_choices()
        self.filters["country"].extra["choices"] = countries_used
        self.filters["language"].extra["choices"] = languages_used

    def filter_month(self, queryset, name, value):
        year, month = (int(part) for part in value.split("-"))
        first = date(year, month, 1)
        last = date(year, month, calendar.monthrange(year, month)[1])
        return queryset.filter(start_date__lte=last, end_date__gte=first)

    def filter_seats(self, queryset, name, value):
        return queryset.filter(capacity__gte=int(value))

    @property
    def active(self) -> bool:
        """Whether the reader narrowed the list (the page then offers to clear the filters)."""
        return self.form.is_valid() and any(self.form.cleaned_data.get(n) for n in self.filters)
