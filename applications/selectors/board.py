"""The ranking board of a call, read from its stored figures (`applications.models.board`):
one indexed, paginated query joins each application on the board to its scores and rank, so a
page costs the same at 20 applications and at 20,000.

The figures are those of `applications.algorithms.board`, stored for the whole call when its
reviews change (`applications.services.board`). Before reading, the board checks they are
current (four small queries: the call's board state, the number and latest change of its
submitted reviews, its rubric, and how many applications on it have a rank); a stale board of
a small call is recomputed there and then (`SYNC_LIMIT`), a large one is shown as it was, with
`Board.stale` set, while the view asks for a refresh in the background.

Given the person looking (`user=`), the board leaves out the applications their membership of
the committee conflicts with (`CommitteeMembership.conflicts_with`: a chair who applied, or is
a referee, or declared a conflict): the row, its decision and the suggestion skip them, and
programme staff decide those. The budget still counts every application, so the figures stay
true for the whole call; ranks are the call's own."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, DecimalField, Exists, F, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import Coalesce, Lower
from django.http import Http404, QueryDict
from django_countries import countries

from applications.algorithms import board
from applications.enums import ApplicationState, DecisionOutcome
from applications.filters import BoardFilter
from applications.models import Application, BoardEntry, BoardState, Call, Stage
from applications.models.board import reviews_fingerprint, rubric_fingerprint, rubric_of
from applications.selectors.review import conflicted_application_ids
from applications.selectors.stages import shortlisted_ids, stage_of, stage_scores
from portal.accounts.models import display_name_of

#: A stale board of a call with up to this many applications on it is recomputed when it is
#: read (about 0.1 s at 2,000 applications and 6,000 reviews); a larger one is refreshed in
#: the background while the page shows the ranks it has.
SYNC_LIMIT = 2000

#: Rows fetched per round trip when the whole board is read (the CSV).
CHUNK = 2000


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


def _board_queryset(call: Call) -> QuerySet[Application]:
    return Application.objects.filter(call=call, state__in=ApplicationState.on_board())


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
    "board_entry__reviews",
    "board_entry__raw_mean",
    "board_entry__weighted_total",
    "board_entry__normalised",
    "board_entry__spread",
    "board_entry__rank",
)

_RANK = F("board_entry__rank")
_NAME = Lower("applicant__full_name")
#: The ranking: ranked applications by rank, then the others by name (as `rows_rank` does).
_RANKING = (_RANK.asc(nulls_last=True), _NAME.asc(), "pk")
_SORT_COLUMNS = {
    "normalised": F("board_entry__normalised"),
    "weighted": F("board_entry__weighted_total"),
    "raw": F("board_entry__raw_mean"),
    "reviews": Coalesce("board_entry__reviews", 0),
}


def _ordering(key: str, descending: bool) -> tuple:
    """SQL for `board.rows_sort`: by the column, missing values last, ties in ranking order."""
    if key == "name":
        return (_NAME.desc() if descending else _NAME.asc(), _RANK.asc(nulls_last=True), "pk")
    column = _SORT_COLUMNS[key]
    first = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
    return (first, *_RANKING)


class _RowMaker:
    """Turns a row of `_ROW_FIELDS` into a `board.BoardRow`, with the call's amounts and the
    states' labels; each country's name is translated once, not once per row."""

    def __init__(self, call: Call):
        self.call = call
        self.states = {value: str(label) for value, label in ApplicationState.choices}
        self.decidable = ApplicationState.decidable()
        self.committing = ApplicationState.committing()
        self.country_names: dict[str, str] = {}

    def country_name(self, code: str) -> str:
        if code not in self.country_names:
            self.country_names[code] = str(countries.name(code))
        return self.country_names[code]

    def __call__(self, values) -> board.BoardRow:
        (
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
            reviews,
            raw_mean,
            weighted_total,
            normalised,
            spread,
            rank,
        ) = values
        scores = (
            board.Scores(
                reviews=reviews,
                raw_mean=raw_mean,
                weighted_total=weighted_total,
                normalised=normalised,
                spread=spread,
            )
            if reviews is not None
            else board.Scores()
        )
        return board.BoardRow(
            application_id=pk,
            name=display_name_of(full_name),  # never the address in place of a name
            email=email,
            country=country or "",
            country_name=self.country_name(country) if country else "",
            institution=institution,
            state=state,
            state_label=self.states.get(state, state),
            requested_amount=requested,
            default_amount=self.call.default_award(requested),
            outcome=outcome,
            amount=amount,
            published=published_at is not None,
            respond_by=respond_by,
            decidable=state in self.decidable and published_at is None,
            commits_budget=outcome == DecisionOutcome.AWARD and state in self.committing,
            accepted=state == ApplicationState.ACCEPTED,
            scores=scores,
            rank=rank,
        )


class BoardRows:
    """The board's rows as the chair asked for them, read lazily: `len()` counts in SQL, a
    slice (a page) fetches only its rows, iterating streams every row in chunks."""

    def __init__(self, queryset: QuerySet[Application], make: _RowMaker):
        self.queryset = queryset
        self.make = make
        self._count: int | None = None

    def count(self) -> int:
        if self._count is None:
            self._count = self.queryset.count()
        return self._count

    __len__ = count

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self.make(values) for values in self.queryset.values_list(*_ROW_FIELDS)[index]]
        return self[index : index + 1][0]

    def __iter__(self) -> Iterator[board.BoardRow]:
        for values in self.queryset.values_list(*_ROW_FIELDS).iterator(chunk_size=CHUNK):
            yield self.make(values)


@dataclass
class Board:
    call: Call
    rows: BoardRows  # filtered and sorted
    filterset: BoardFilter
    budget: board.Budget
    sort: str
    descending: bool
    total: int  # applications on the board the person may see
    stale: bool = False  # the ranks are being recomputed; these are the previous ones
    hidden: set[int] = field(default_factory=set)
    has_stage: bool = False  # decided on a second stage: see `stage_ranking`

    def _visible(self) -> QuerySet[Application]:
        return _board_queryset(self.call).exclude(pk__in=self.hidden)

    @cached_property
    def ranked(self) -> list[board.BoardRow]:
        """Every application on the board the person may see, best first."""
        return list(BoardRows(self._visible().order_by(*_RANKING), _RowMaker(self.call)))

    def row(self, application_id: int) -> board.BoardRow | None:
        found = BoardRows(self._visible().filter(pk=application_id), _RowMaker(self.call))[:1]
        return found[0] if found else None


def _budget_sum(condition: Q):
    return Coalesce(
        Sum("decision__amount", filter=condition),
        Value(Decimal("0")),
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def _fresh(call: Call, *, hidden: set[int] = frozenset()) -> tuple[bool, dict]:
    """Make sure the call's stored figures are current, recomputing a small call's; returns
    whether they are still stale, and the board's totals (applications, those the person may
    see, ranked ones, the budget committed, drafted and accepted)."""
    commits = Q(decision__outcome=DecisionOutcome.AWARD, state__in=ApplicationState.committing())
    totals = _board_queryset(call).aggregate(
        applications=Count("pk"),
        visible=Count("pk", filter=~Q(pk__in=hidden)) if hidden else Count("pk"),
        ranked=Count("board_entry__rank"),
        committed=_budget_sum(commits),
        drafts=_budget_sum(commits & Q(decision__published_at=None)),
        accepted=_budget_sum(commits & Q(state=ApplicationState.ACCEPTED)),
    )
    # Whether the call has a second stage comes with its board state: no query of its own.
    state = (
        BoardState.objects.filter(call=call)
        .annotate(has_stage=Exists(Stage.objects.filter(call_id=OuterRef("call_id"))))
        .first()
    )
    totals["has_stage"] = (
        state.has_stage if state is not None else Stage.objects.filter(call=call).exists()
    )
    fingerprint = reviews_fingerprint(call)
    rubric = rubric_fingerprint(rubric_of(call))
    stale = (
        state is None
        or state.version != state.refreshed_version
        or fingerprint != (state.reviews_count, state.reviews_changed_at)
        or rubric != state.rubric
        or totals["ranked"] != state.ranked
    )
    if stale and totals["applications"] <= SYNC_LIMIT:
        # Derived figures only (no decision, no audit): reading rebuilds them, as a cache would.
        BoardEntry.objects.rebuild(call)
        stale = False
    return stale, totals


def board_rows(*, call: Call, user=None) -> list[board.BoardRow]:
    """Every application of the call on the board, with scores and ranks, best first; given
    `user`, without those the person is in conflict with (ranks are the call's own)."""
    hidden = conflicted_application_ids(user=user, call=call)
    _fresh(call)
    queryset = _board_queryset(call).exclude(pk__in=hidden).order_by(*_RANKING)
    return list(BoardRows(queryset, _RowMaker(call)))


def board_get(*, call: Call, data: QueryDict | dict | None = None, user=None) -> Board:
    """The board as the chair asked for it: filtered (django-filter) and sorted in SQL, without
    the applications `user` is in conflict with. `Board.rows` is read lazily, a page at a
    time; the number of queries does not depend on the number of applications."""
    data = data if data is not None else {}
    hidden = conflicted_application_ids(user=user, call=call)
    stale, totals = _fresh(call, hidden=hidden)
    visible = _board_queryset(call).exclude(pk__in=hidden) if hidden else _board_queryset(call)
    filterset = BoardFilter(
        data or None,
        queryset=visible,
        flagged=BoardEntry.objects.filter(call=call, disagreement=True).values("application_id"),
        country_codes=list(
            visible.exclude(country="").order_by().values_list("country", flat=True).distinct()
        ),
    )
    key, descending = board.sort_parse(data.get("sort"))
    rows = BoardRows(filterset.qs.order_by(*_ordering(key, descending)), _RowMaker(call))
    cents = Decimal("0.01")  # as the amounts are stored (SQLite's sums drop the places)
    budget = board.Budget(
        total=call.budget,
        committed=Decimal(totals["committed"]).quantize(cents),
        drafts=Decimal(totals["drafts"]).quantize(cents),
        accepted=Decimal(totals["accepted"]).quantize(cents),
        currency=call.currency,
    )
    return Board(
        call=call,
        rows=rows,
        filterset=filterset,
        budget=budget,
        sort=key,
        descending=descending,
        total=totals["visible"],
        stale=stale,
        hidden=hidden,
        has_stage=totals["has_stage"],
    )


@dataclass
class StageRanking:
    """A call with a second stage is decided on it: its shortlisted applications ranked by
    the panel's scores (each row's `scores` and `rank` are the stage's, computed as the
    board's are from reviews: weighted totals, normalised per panel member), then the others
    (read for the suggestion only), which no suggestion awards."""

    stage: Stage
    ranked: list[board.BoardRow]
    others: list[board.BoardRow] = field(default_factory=list)

    def for_suggestion(self) -> list[board.BoardRow]:
        """The ranking as the suggestion reads it: those not shortlisted have no stage score,
        so they are never awarded or waitlisted (and only declined with "decline the rest")."""
        return self.ranked + [replace(row, scores=board.Scores(), rank=None) for row in self.others]


def _stage_ranking(stage: Stage, rows: list[board.BoardRow]) -> StageRanking:
    chosen = shortlisted_ids(stage)
    scores = stage_scores(stage)
    ranked = board.rows_rank(
        replace(row, scores=scores.get(row.application_id, board.Scores()), rank=None)
        for row in rows
        if row.application_id in chosen
    )
    return StageRanking(stage, ranked, [row for row in rows if row.application_id not in chosen])


def stage_ranking(*, call: Call, user=None) -> StageRanking | None:
    """The second stage's ranking of the shortlisted (None for a call without a stage), read
    without the rest of the board; ranks are the call's own, the applications `user` is in
    conflict with left out."""
    stage = stage_of(call)
    if stage is None:
        return None
    queryset = _board_queryset(call).filter(shortlistings__stage=stage).order_by(*_RANKING)
    ranking = _stage_ranking(stage, list(BoardRows(queryset, _RowMaker(call))))
    hidden = conflicted_application_ids(user=user, call=call)
    ranking.ranked = [row for row in ranking.ranked if row.application_id not in hidden]
    return ranking


def suggestion_get(*, call: Call, waitlist: int = 0, decline_rest: bool = False, user=None):
    """The award suggestion over the current ranking, and the budget it starts from; the
    applications `user` is in conflict with are left to others. A call with a second stage is
    suggested over the stage's ranking (`StageRanking.for_suggestion`)."""
    every = board_rows(call=call)
    budget = board.budget_compute(every, total=call.budget, currency=call.currency)
    hidden = conflicted_application_ids(user=user, call=call)
    stage = stage_of(call)
    ordered = every if stage is None else _stage_ranking(stage, every).for_suggestion()
    suggestion = board.suggest(
        [row for row in ordered if row.application_id not in hidden],
        remaining=max(budget.remaining, Decimal("0")),
        waitlist=waitlist,
        decline_rest=decline_rest,
    )
    return suggestion, budget
