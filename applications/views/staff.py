"""Programme staff and chairs: a call's applications by state, filtered, and as CSV."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from applications import selectors
from applications.enums import ApplicationState
from applications.filters import ApplicationFilter
from portal.exports import csv_response
from portal.pagination import paginate

PAGE_SIZE = 50


@login_required
@require_GET
def call_applications(request, call_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    filterset = ApplicationFilter(
        request.GET, queryset=selectors.application_list_for_call(call=call)
    )
    applications = filterset.qs
    if request.GET.get("format") == "csv":
        return _csv(call, applications)
    page = paginate(applications, request.GET.get("page"), per_page=PAGE_SIZE)
    counts = selectors.application_state_counts(call=call)
    return render(
        request,
        "applications/call_applications.html",
        {
            "call": call,
            "filter": filterset,
            "page_obj": page,
            "state_counts": [
                (state, label, counts[state]) for state, label in ApplicationState.choices
            ],
        },
    )


def _csv(call, applications):
    header = [
        _("id"),
        _("applicant"),
        _("email"),
        _("state"),
        _("country"),
        _("medical school"),
        _("year of study"),
        _("amount requested"),
        _("missing items"),
        _("documents"),
        _("letters"),
        _("submitted at (UTC)"),
        _("country code (ISO 3166)"),
    ]

    language = translation.get_language()

    def rows():
        # Streamed after the view returns: the reader's language is held for the labels.
        with translation.override(language):
            yield from _rows(applications)

    return csv_response(f"{call.slug}-applications.csv", header, rows())


def _rows(applications):
    for a in applications.iterator(chunk_size=500):
        # Typed by applicants: `csv_response` never lets a spreadsheet run them.
        yield [
            a.pk,
            a.applicant.get_full_name(),
            a.applicant.email,
            a.get_state_display(),
            # The name in the reader's language; the code, last, for finance's tools.
            a.country.name if a.country else "",
            a.institution,
            a.year_of_study or "",
            a.requested_amount if a.requested_amount is not None else "",
            a.missing_count,
            a.documents_received,
            a.letters_received,
            a.submitted_at.isoformat() if a.submitted_at else "",
            a.country.code if a.country else "",
        ]
