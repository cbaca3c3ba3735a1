"""The ranking board of a call for its chair and programme staff: filtered, sorted, as CSV."""

from collections.abc import Iterator

from django.contrib.auth.decorators import login_required
from django.http import QueryDict
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from applications import selectors
from applications.algorithms import board as figures
from applications.enums import DecisionOutcome
from applications.selectors.board import stage_ranking
from applications.services.board import board_refresh_request
from portal.exports import csv_response
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
    if result.stale:  # a large call: shown with its previous ranks while they are recomputed
        board_refresh_request(call_id=call.pk)
    page = paginate(result.rows, request.GET.get("page"), per_page=PAGE_SIZE)
    # A call decided on a second stage shows that stage's ranking above the reviews' board,
    # and offers to shortlist from it (a call without one costs no query more).
    stage = stage_ranking(call=call, user=request.user) if result.has_stage else None
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
            "stage_ranking": stage,
            "shortlisted": {row.application_id for row in stage.ranked} if stage else set(),
        },
    )


def _number(value: float | None, places: int = 2) -> str:
    return "" if value is None else f"{value:.{places}f}"


@login_required
@require_GET
def board_csv(request, call_id: int):
    """Every row of the board as filtered and sorted, streamed as the database yields them:
    plain numbers and codes, text guarded against spreadsheet formulas."""
    call = selectors.call_get_for_manager(user=request.user, call_id=call_id)
    result = selectors.board_get(call=call, data=request.GET, user=request.user)
    if result.stale:
        board_refresh_request(call_id=call.pk)
    # Translated now: the rows are written after the view has returned.
    header = [
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
    yes, no = _("yes"), _("no")

    def rows() -> Iterator[list]:
        for row in result.rows:
            scores = row.scores
            yield [
                row.rank or "",
                row.application_id,
                row.name,
                row.email,
                row.country_name,
                row.institution,
                row.state_label,
                scores.reviews,
                _number(scores.raw_mean),
                _number(scores.weighted_total),
                _number(scores.normalised, 3),
                _number(scores.spread) if scores.reviews >= 2 else "",
                yes if scores.disagreement else no,
                row.requested_amount,
                DecisionOutcome(row.outcome).label if row.outcome else "",
                row.amount,
                yes if row.published else no,
            ]

    return csv_response(f"{call.slug}-ranking.csv", header, rows())
