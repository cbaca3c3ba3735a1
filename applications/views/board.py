"""The ranking board of a call for its chair and programme staff: filtered, sorted, as CSV."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from applications import selectors
from applications.algorithms import board as figures
from portal.exports import spreadsheet_cell
from portal.pagination import paginate

PAGE_SIZE = 50


def sort_links(query: QueryDict, board: selectors.Board) -> dict[str, dict]:
    """For each sortable column: the link that sorts by it (flipping the direction when it is
    the current sort) and its `aria-sort` value. Filters are kept; the page starts again."""
    links = {}
    for key, (_getter, natural_descending) in figures.SORTS.items():
        current = key == board.sort
        descending = not board.descending if current else natural_descending
        params = query.copy()
        params.pop("page", None)
        params["sort"] = f"-{key}" if descending else key
        links[key] = {
            "url": f"?{params.urlencode()}",
            "aria_sort": ("descending" if board.descending else "ascending") if current else "",
        }
    return links


@login_required
@require_GET
def board(request, call_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    result = selectors.board_get(call=call, data=request.GET, user=request.user)
    page = paginate(result.rows, request.GET.get("page"), per_page=PAGE_SIZE)
    return render(
        request,
        "applications/board.html",
        {
            "call": call,
            "board": result,
            "filter": result.filterset,
            "page_obj": page,
            "sort": sort_links(request.GET, result),
            "spread_threshold": figures.DISAGREEMENT_SPREAD,
            "back": request.get_full_path(),
        },
    )


def _number(value: float | None, places: int = 2) -> str:
    return "" if value is None else f"{value:.{places}f}"


@login_required
@require_GET
def board_csv(request, call_id: int):
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    result = selectors.board_get(call=call, data=request.GET, user=request.user)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-ranking.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(
        [
            _("rank"),
            _("id"),
            _("applicant"),
            _("email"),
            _("country"),
            _("medical school"),
            _("state"),
            _("reviews"),
            _("raw mean"),
            _("weighted total"),
            _("normalised"),
            _("spread"),
            _("reviewers disagree"),
            _("amount requested"),
            _("decision"),
            _("amount"),
            _("published"),
        ]
    )
    for row in result.rows:
        scores = row.scores
        writer.writerow(
            [
                row.rank or "",
                row.application_id,
                spreadsheet_cell(row.name),
                spreadsheet_cell(row.email),
                row.country,
                spreadsheet_cell(row.institution),
                row.state,
                scores.reviews,
                _number(scores.raw_mean),
                _number(scores.weighted_total),
                _number(scores.normalised, 3),
                _number(scores.spread) if scores.reviews >= 2 else "",
                _("yes") if scores.disagreement else _("no"),
                "" if row.requested_amount is None else row.requested_amount,
                row.outcome or "",
                "" if row.amount is None else row.amount,
                _("yes") if row.published else _("no"),
            ]
        )
    return response
