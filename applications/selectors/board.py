"""The ranking board of a call, in a constant number of queries (its rubric, its submitted
reviews, its applications), then the figures of `applications.algorithms.board`.

Given the person looking (`user=`), the board leaves out the applications their membership of
the committee conflicts with (`CommitteeMembership.conflicts_with`: a chair who applied, or is
a referee, or declared a conflict): the row, its decision and the suggestion skip them, and
programme staff decide those. The budget still counts every application, so the figures stay
true for the whole call."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django_countries import countries

from applications.algorithms import board
from applications.algorithms.rubric import Criterion
from applications.enums import ApplicationState, DecisionOutcome, ReviewState
from applications.filters import BoardFilter
from applications.models import Application, Call, Review
from applications.selectors.review import conflicted_application_ids
from portal.accounts.models import display_name_of


def application_get_in_call(*, call: Call, application_id: int, user=None) -> Application:
    """An application on the call's board (submitted, not withdrawn) the person is not in
    conflict with; else 404."""
    if application_id in conflicted_application_ids(user=user, call=call):
        raise Http404
    application = (
        _board_queryset(call)
        .filter(pk=application_id)
        .select_related("applicant", "decision")
        .first()
    )
    if application is None:
        raise Http404
    return application


@dataclass
class Board:
    call: Call
    ranked: list[board.BoardRow]  # every application on the board, best first
    rows: list[board.BoardRow]  # filtered and sorted
    filterset: BoardFilter
    budget: board.Budget
    sort: str
    descending: bool

    def row(self, application_id: int) -> board.BoardRow | None:
        return next((r for r in self.ranked if r.application_id == application_id), None)


def _criteria(call: Call) -> list[Criterion]:
    return [
        Criterion(id=c.pk, weight=c.weight, scale_max=c.scale_max)
        for c in call.criteria.order_by("sort_order", "pk")
    ]


def _reviews(call: Call):
    return Review.objects.filter(
        assignment__application__call=call, state=ReviewState.SUBMITTED
    ).values_list("assignment__membership_id", "assignment__application_id", "scores")


_ROW_FIELDS = (
    "pk",
    "applicant__full_name",
    "applicant__email",
    "country",
    "institution",
    "state",
    "requested_amount",
    "decision__outcome",
    "decision__amount",
    "decision__published_at",
    "decision__respond_by",
)


def _board_queryset(call: Call) -> QuerySet[Application]:
    return Application.objects.filter(call=call, state__in=ApplicationState.on_board())


class _Names(dict):
    def __init__(self, lookup):
        super().__init__()
        self.lookup = lookup

    def __missing__(self, key):
        self[key] = value = str(self.lookup(key))
        return value


def board_rows(*, call: Call, user=None) -> list[board.BoardRow]:
    """Every application of the call on the board, with scores and ranks, best first; given
    `user`, without those the person is in conflict with (ranks are the call's own).

    Three queries whatever the size: the rubric, the submitted reviews, the applications.
    """
    rows = _all_rows(call)
    hidden = conflicted_application_ids(user=user, call=call)
    return [row for row in rows if row.application_id not in hidden] if hidden else rows


def _all_rows(call: Call) -> list[board.BoardRow]:
    criteria = _criteria(call)
    scores = board.scores_compute(_reviews(call), criteria)
    states = {value: str(label) for value, label in ApplicationState.choices}
    decidable, committing = ApplicationState.decidable(), ApplicationState.committing()
    # Translated once per country, not once per row.
    country_names: dict[str, str] = _Names(countries.name)
    rows = []
    for (
        pk,
        full_name,
        email,
        country,
        institution,
        state,
        requested,
        outcome,
        amount,
        published_at,
        respond_by,
    ) in _board_queryset(call).values_list(*_ROW_FIELDS):
        rows.append(
            board.BoardRow(
                application_id=pk,
                name=display_name_of(full_name),  # never the address in place of a name
                email=email,
                country=country or "",
                country_name=country_names[country] if country else "",
                institution=institution,
                state=state,
                state_label=states.get(state, state),
                requested_amount=requested,
                default_amount=call.default_award(requested),
                outcome=outcome,
                amount=amount,
                published=published_at is not None,
                respond_by=respond_by,
                decidable=state in decidable and published_at is None,
                commits_budget=outcome == DecisionOutcome.AWARD and state in committing,
                accepted=state == ApplicationState.ACCEPTED,
                scores=scores.get(pk, board.Scores()),
            )
        )
    return board.rows_rank(rows)


def board_get(*, call: Call, data: QueryDict | dict | None = None, user=None) -> Board:
    """The board as the chair asked for it: filtered (django-filter) and sorted, without the
    applications `user` is in conflict with.

    Four queries: `board_rows`, then the ids the filters keep.
    """
    data = data if data is not None else {}
    every = _all_rows(call)
    hidden = conflicted_application_ids(user=user, call=call)
    ranked = [row for row in every if row.application_id not in hidden]
    filterset = BoardFilter(
        data or None,
        queryset=_board_queryset(call),
        flagged={row.application_id for row in ranked if row.scores.disagreement},
        country_codes=[row.country for row in ranked if row.country],
    )
    kept = set(filterset.qs.values_list("pk", flat=True))
    key, descending = board.sort_parse(data.get("sort"))
    rows = board.rows_sort([row for row in ranked if row.application_id in kept], key, descending)
    return Board(
        call=call,
        ranked=ranked,
        rows=rows,
        filterset=filterset,
        budget=board.budget_compute(every, total=call.budget, currency=call.currency),
        sort=key,
        descending=descending,
    )


def suggestion_get(*, call: Call, waitlist: int = 0, decline_rest: bool = False, user=None):
    """The award suggestion over the current ranking, and the budget it starts from; the
    applications `user` is in conflict with are left to others."""
    every = _all_rows(call)
    budget = board.budget_compute(every, total=call.budget, currency=call.currency)
    hidden = conflicted_application_ids(user=user, call=call)
    suggestion = board.suggest(
        [row for row in every if row.application_id not in hidden],
        remaining=max(budget.remaining, Decimal("0")),
        waitlist=waitlist,
        decline_rest=decline_rest,
    )
    return suggestion, budget
