"""The ranking board of a call, computed from plain rows: scores, ranks, budget, the award
suggestion. Pure: no Django, no queries; `applications.selectors.board` fetches the rows and
says, for each, what its states mean (decidable, holding budget) from the enums' groups.

What each figure means (all from SUBMITTED reviews only):

* weighted total: the mean over reviewers of the rubric's weighted total of their scores
  (`applications.algorithms.rubric.weighted_total`), 0-100.
* raw mean: the same mean with every criterion weighing the same (Σ scores / Σ highest scores,
  as a percentage): what the reviewers gave before the rubric's weights.
* normalised: `applications.algorithms.normalisation.normalize_scores` over every reviewer's
  weighted totals, a mean of z-scores (0 is an average application): a harsh or a lenient
  reviewer does not move it. The ranking follows it.
* disagreement: the reviewers' weighted totals spread by more than `DISAGREEMENT_SPREAD`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from applications.algorithms.normalisation import normalize_scores, score_spread
from applications.algorithms.rubric import Criterion, weighted_total

#: Reviewers "disagree" when the population standard deviation of their weighted totals (on the
#: 0-100 scale) is above this many points: two reviewers more than 30 points apart, or three at
#: 50, 70 and 90 (16.3). A committee reads such an application again before deciding.
DISAGREEMENT_SPREAD = 15.0


@dataclass(frozen=True)
class Scores:
    reviews: int = 0
    raw_mean: float | None = None
    weighted_total: float | None = None
    normalised: float | None = None
    spread: float = 0.0

    @property
    def disagreement(self) -> bool:
        return self.reviews >= 2 and self.spread > DISAGREEMENT_SPREAD


@dataclass
class BoardRow:
    """One application on the board, with its scores and the chair's decision, if any.

    What the application's state and decision mean is the caller's to say (from the enums'
    groups): `decidable` (the chair may still decide it), `commits_budget` (an award holding
    its amount until the student declines it), `accepted` (the student accepted the award).
    """

    application_id: int
    name: str
    email: str
    country: str
    country_name: str
    institution: str
    state: str
    state_label: str
    requested_amount: Decimal | None
    default_amount: Decimal
    outcome: str | None = None
    amount: Decimal | None = None
    published: bool = False
    respond_by: object = None  # a date, once an award is published
    decidable: bool = False
    commits_budget: bool = False
    accepted: bool = False
    scores: Scores = field(default_factory=Scores)
    rank: int | None = None


def default_amount(*, award_amount: Decimal, requested_amount: Decimal | None) -> Decimal:
    """The call's amount, or what the student requested capped at it. `requested_amount` is
    None for a call that awards a fixed amount (or when the student requested nothing)."""
    if requested_amount is not None:
        return min(requested_amount, award_amount)
    return award_amount


def scores_compute(
    reviews: Iterable[tuple[Hashable, Hashable, Mapping[str, float]]],
    criteria: Sequence[Criterion],
) -> dict[Hashable, Scores]:
    """Scores per application from (reviewer, application, scores) of submitted reviews.

    A review missing a criterion's score (the rubric changed after it was submitted) counts for
    nothing rather than for a wrong total.
    """
    equal_weights = [Criterion(c.id, 1, c.scale_max) for c in criteria]
    totals: dict[Hashable, list[float]] = {}
    raws: dict[Hashable, list[float]] = {}
    by_reviewer: dict[tuple[Hashable, Hashable], float] = {}
    for reviewer, application, scores in reviews:
        total = weighted_total(scores, criteria)
        if total is None:
            continue
        raw = weighted_total(scores, equal_weights)
        totals.setdefault(application, []).append(total)
        if raw is not None:
            raws.setdefault(application, []).append(raw)
        by_reviewer[(reviewer, application)] = total
    normalised = normalize_scores(by_reviewer)
    return {
        application: Scores(
            reviews=len(values),
            raw_mean=_mean(raws.get(application, [])),
            weighted_total=_mean(values),
            normalised=normalised[application],
            spread=score_spread(values),
        )
        for application, values in totals.items()
    }


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def _ranking_key(row: BoardRow):
    """Best first: normalised score, then weighted total, then name and id (deterministic)."""
    normalised = row.scores.normalised
    weighted = row.scores.weighted_total
    return (
        normalised is None,
        -(normalised or 0.0),
        -(weighted or 0.0),
        row.name.casefold(),
        row.application_id,
    )


def rows_rank(rows: Iterable[BoardRow]) -> list[BoardRow]:
    """Rows in ranking order, each with its rank (None for an application with no review)."""
    ranked = sorted(rows, key=_ranking_key)
    for position, row in enumerate(ranked, start=1):
        row.rank = position if row.scores.normalised is not None else None
    return ranked


#: Sort keys of the board: how to read the value, and whether the natural order is descending.
SORTS = {
    "normalised": (lambda row: row.scores.normalised, True),
    "weighted": (lambda row: row.scores.weighted_total, True),
    "raw": (lambda row: row.scores.raw_mean, True),
    "reviews": (lambda row: row.scores.reviews, True),
    "name": (lambda row: row.name.casefold(), False),
}
DEFAULT_SORT = "-normalised"


def sort_parse(value: str | None) -> tuple[str, bool]:
    """`"-raw"` → ("raw", descending); anything unknown gives the default (best first)."""
    value = value or DEFAULT_SORT
    key, descending = value.lstrip("-"), value.startswith("-")
    if key not in SORTS:
        return DEFAULT_SORT.lstrip("-"), True
    return key, descending


def rows_sort(ranked: Sequence[BoardRow], key: str, descending: bool) -> list[BoardRow]:
    """Sort rows already in ranking order; ties keep that order, missing values go last."""
    getter = SORTS[key][0]
    present = [row for row in ranked if getter(row) is not None]
    missing = [row for row in ranked if getter(row) is None]
    return sorted(present, key=getter, reverse=descending) + missing


@dataclass(frozen=True)
class Budget:
    total: Decimal
    committed: Decimal  # awards, drafts included, not declined by the student
    drafts: Decimal  # of which not yet published
    accepted: Decimal  # of which accepted by the student
    currency: str

    @property
    def remaining(self) -> Decimal:
        return self.total - self.committed

    @property
    def over(self) -> bool:
        return self.committed > self.total

    @property
    def overspend(self) -> Decimal:
        return max(self.committed - self.total, Decimal("0"))

    @property
    def percent(self) -> int:
        if self.total <= 0:
            return 100 if self.committed > 0 else 0
        return round(100 * self.committed / self.total)


def budget_compute(rows: Iterable[BoardRow], *, total: Decimal, currency: str) -> Budget:
    committed = drafts = accepted = Decimal("0")
    for row in rows:
        if not row.commits_budget:
            continue
        amount = row.amount or Decimal("0")
        committed += amount
        if not row.published:
            drafts += amount
        if row.accepted:
            accepted += amount
    return Budget(total, committed, drafts, accepted, currency)


@dataclass(frozen=True)
class Suggestion:
    """Awards down the ranking until the budget is spent, then a waitlist and declines."""

    awards: list[tuple[BoardRow, Decimal]]
    waitlist: list[BoardRow]
    declines: list[BoardRow]
    stopped_at: BoardRow | None  # the first candidate whose award did not fit
    remaining_before: Decimal

    @property
    def award_total(self) -> Decimal:
        return sum((amount for _, amount in self.awards), Decimal("0"))

    @property
    def remaining_after(self) -> Decimal:
        return self.remaining_before - self.award_total

    @property
    def unreviewed_declines(self) -> int:
        return sum(1 for row in self.declines if row.scores.normalised is None)

    @property
    def is_empty(self) -> bool:
        return not (self.awards or self.waitlist or self.declines)

    def fingerprint(self) -> str:
        """Changes whenever the proposal would: the chair confirms exactly what they saw."""
        parts = [f"a{row.application_id}:{amount}" for row, amount in self.awards]
        parts += [f"w{row.application_id}" for row in self.waitlist]
        parts += [f"d{row.application_id}" for row in self.declines]
        return hashlib.sha256(",".join(parts).encode()).hexdigest()[:32]


def suggest(
    ranked: Sequence[BoardRow], *, remaining: Decimal, waitlist: int = 0, decline_rest: bool = False
) -> Suggestion:
    """Propose decisions for the undecided applications, best first.

    Awards go down the ranking (reviewed applications only) at each one's default amount while
    it fits the remaining budget, and stop at the first that does not: a better-ranked
    candidate is never skipped for a cheaper one below. The next `waitlist` reviewed candidates
    (starting with the one that did not fit) are waitlisted; with `decline_rest`, every other
    undecided application is declined. Decisions the chair has already drafted are kept.
    """
    candidates = [row for row in ranked if row.decidable and row.outcome is None]
    reviewed = [row for row in candidates if row.scores.normalised is not None]
    awards: list[tuple[BoardRow, Decimal]] = []
    left = remaining
    stopped_at = None
    stop = len(reviewed)
    for index, row in enumerate(reviewed):
        amount = row.default_amount
        if amount <= 0 or amount > left:
            stopped_at, stop = row, index
            break
        awards.append((row, amount))
        left -= amount
    waitlisted = reviewed[stop : stop + max(waitlist, 0)]
    chosen = {row.application_id for row, _ in awards} | {r.application_id for r in waitlisted}
    declines = (
        [row for row in candidates if row.application_id not in chosen] if decline_rest else []
    )
    return Suggestion(awards, waitlisted, declines, stopped_at, remaining)
