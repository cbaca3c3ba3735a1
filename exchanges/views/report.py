"""Programme staff: a cycle's report (where its match placed students, the seats it left, who
is unplaced and why, the answers since), with its charts, and its two CSV files."""

from django.http import Http404
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import get_language_bidi
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from exchanges import selectors
from exchanges.selectors.report import (
    cycle_report,
    unplaced_page_rows,
    unplaced_students,
)
from portal.audit import audit_access
from portal.charts import bar_chart, stacked_chart, top_and_others
from portal.exports import csv_response
from portal.http import permission_required
from portal.templatetags.formatting import number

#: Schools shown one by one in their chart; the rest are summed as "Other schools".
TOP_SCHOOLS = 15
#: Rotations with unfilled seats, and unplaced students, listed on the page (the CSV has all).
LISTED = 50


@permission_required("exchanges.run_match")
@require_GET
def cycle_report_page(request, pk: int):
    cycle = selectors.cycle_get(cycle_id=pk)
    report = cycle_report(cycle=cycle)
    context = {"cycle": cycle, "report": report}
    if report.run is not None:
        unfilled = [row for row in report.rotations if row.unfilled]
        context.update(
            charts=_charts(report, rtl=get_language_bidi()),
            unfilled_rows=unfilled[:LISTED],
            unfilled_more=max(len(unfilled) - LISTED, 0),
            unplaced_rows=unplaced_page_rows(report=report, limit=LISTED),
            unplaced_more=max(len(report.unplaced) - LISTED, 0),
        )
    return render(request, "exchanges/staff/cycle_report.html", context)


def _charts(report, *, rtl: bool) -> list[dict]:
    """The report's three charts, each with its heading, name and description in words."""
    run = report.run
    first, top = number(run.first_choice_share), number(run.top_three_share)
    return [
        {
            "id": "chart-choices",
            "heading": _("Choices met"),
            "title": _("Students by the choice they got"),
            "desc": _(
                "%(first)s %% of the students in the match got their first choice, and "
                "%(top)s %% one of their first three."
            )
            % {"first": first, "top": top},
            "label_heading": _("Choice"),
            "chart": stacked_chart(report.choices(), rtl=rtl),
        },
        {
            "id": "chart-countries",
            "heading": _("Placed by country"),
            "title": _("Students placed by the match, by country"),
            "desc": _("Students the match placed, by the country of the host school."),
            "label_heading": _("Country"),
            "chart": bar_chart(report.by_country(), rtl=rtl),
        },
        {
            "id": "chart-schools",
            "heading": _("Placed by school"),
            "title": _("Students placed by the match, by school"),
            "desc": _(
                "Students the match placed at each host school: the %(count)s with the most, "
                "then the other schools together."
            )
            % {"count": TOP_SCHOOLS},
            "label_heading": _("School"),
            "chart": bar_chart(
                top_and_others(report.by_school(), keep=TOP_SCHOOLS, others=_("Other schools")),
                rtl=rtl,
            ),
        },
    ]


def _report_or_404(pk: int):
    cycle = selectors.cycle_get(cycle_id=pk)
    report = cycle_report(cycle=cycle)
    if report.run is None:
        raise Http404("No match has run in this cycle.")
    return cycle, report


def _filename(cycle, what: str) -> str:
    return f"{slugify(cycle.name) or 'cycle'}-{cycle.pk}-{what}.csv"


@permission_required("exchanges.run_match")
@require_GET
def cycle_report_csv(request, pk: int):
    """One row per rotation of the run (by country and school): seats, placed by the match,
    confirmed and unfilled now."""
    cycle, report = _report_or_404(pk)
    header = [
        _("country"),
        _("school"),
        _("rotation id"),
        _("rotation"),
        _("seats"),
        _("placed"),
        _("confirmed"),
        _("unfilled"),
    ]
    rows = (
        [
            row.country,
            row.school,
            row.rotation_id,
            row.title,
            row.seats,
            row.placed,
            row.confirmed,
            row.unfilled,
        ]
        for row in report.rotations
    )
    return csv_response(_filename(cycle, "placements"), header, rows)


@permission_required("exchanges.run_match")
@require_GET
def cycle_unplaced_csv(request, pk: int):
    """Every student the run left unplaced or left out, with the reason in words."""
    cycle, report = _report_or_404(pk)
    audit_access(request, "cycle_report.unplaced_downloaded", cycle)
    header = [
        _("rank list id"),
        _("student"),
        _("email"),
        _("medical school"),
        _("reason"),
        _("details"),
        _("placed since"),
    ]

    def rows():
        people = unplaced_students(
            cycle=cycle, rank_list_ids=[row.rank_list_id for row in report.unplaced]
        )
        for row in report.unplaced:
            person = people.get(row.rank_list_id, {})
            yield [
                row.rank_list_id,
                person.get("name", ""),
                person.get("email", ""),
                person.get("home_school", ""),
                row.reason,
                row.details,
                person.get("since", ""),
            ]

    return csv_response(_filename(cycle, "unplaced"), header, rows())
