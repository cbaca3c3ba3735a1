"""Reads of the ranking board, decisions and audit trail of a call, in a constant number of
queries: the call's rubric, its submitted reviews and its applications, then Python."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, QueryDict
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from applications import board
from applications.enums import ApplicationState, DecisionOutcome, ReviewState
from applications.filters_board import BoardFilter
from applications.models import Application, Call, Decision, Review
from applications.rubric import Criterion
from portal.audit import audit_list
from portal.models import AuditEntry

AUDIT_PAGE_SIZE = 50


def call_get_for_chair(*, user, call_id: int) -> Call:
    """The call, if this person may rank and decide it (its chair or programme staff); else 404."""
    call = Call.objects.filter(pk=call_id).first()
    if call is None or not user.has_perm("applications.manage_call", call):
        raise Http404
    return call


def application_get_in_call(*, call: Call, application_id: int) -> Application:
    application = (
        Application.objects.filter(pk=application_id, call=call)
        .exclude(state__in=[ApplicationState.DRAFT, ApplicationState.WITHDRAWN])
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
    return Application.objects.filter(call=call).exclude(
        state__in=[ApplicationState.DRAFT, ApplicationState.WITHDRAWN]
    )


class _Names(dict):
    def __init__(self, lookup):
        super().__init__()
        self.lookup = lookup

    def __missing__(self, key):
        self[key] = value = str(self.lookup(key))
        return value


def board_rows(*, call: Call) -> list[board.BoardRow]:
    """Every application of the call on the board, with scores and ranks, best first.

    Three queries whatever the size: the rubric, the submitted reviews, the applications.
    """
    criteria = _criteria(call)
    scores = board.scores_compute(_reviews(call), criteria)
    states = {value: str(label) for value, label in ApplicationState.choices}
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
                name=full_name or email,
                email=email,
                country=country or "",
                country_name=country_names[country] if country else "",
                institution=institution,
                state=state,
                state_label=states.get(state, state),
                requested_amount=requested,
                default_amount=board.default_amount(
                    award_mode=call.award_mode,
                    award_amount=call.award_amount,
                    requested_amount=requested,
                ),
                outcome=outcome,
                amount=amount,
                published=published_at is not None,
                respond_by=respond_by,
                scores=scores.get(pk, board.Scores()),
            )
        )
    return board.rows_rank(rows)


def board_get(*, call: Call, data: QueryDict | dict | None = None) -> Board:
    """The board as the chair asked for it: filtered (django-filter) and sorted.

    Four queries: `board_rows`, then the ids the filters keep.
    """
    data = data if data is not None else {}
    ranked = board_rows(call=call)
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
        budget=board.budget_compute(ranked, total=call.budget, currency=call.currency),
        sort=key,
        descending=descending,
    )


def suggestion_get(*, call: Call, waitlist: int = 0, decline_rest: bool = False):
    """The award suggestion over the current ranking, and the budget it starts from."""
    ranked = board_rows(call=call)
    budget = board.budget_compute(ranked, total=call.budget, currency=call.currency)
    suggestion = board.suggest(
        ranked,
        remaining=max(budget.remaining, Decimal("0")),
        waitlist=waitlist,
        decline_rest=decline_rest,
    )
    return suggestion, budget


def _with_decision(application_id: int) -> Application | None:
    return (
        Application.objects.filter(pk=application_id)
        .select_related("call", "applicant", "decision")
        .first()
    )


def application_get_with_own_decision(*, user, application_id: int) -> Application:
    """The applicant's own application with its published decision; 404 otherwise."""
    application = _with_decision(application_id)
    if application is None or not user.has_perm("applications.view_own_decision", application):
        raise Http404
    return application


def award_letter_get(*, user, application_id: int) -> Decision:
    """A published award's letter, for its student or the call's managers; 404 otherwise (and
    while the letter is still being rendered)."""
    application = _with_decision(application_id)
    if application is None or not user.has_perm("applications.download_award_letter", application):
        raise Http404
    decision = application.decision
    if decision.outcome != DecisionOutcome.AWARD or not decision.letter_key:
        raise Http404
    return decision


@dataclass
class DecisionsOverview:
    """The decisions page: drafts to publish, published awards and their answers, the waitlist."""

    ranked: list[board.BoardRow]
    budget: board.Budget
    drafts: list[board.BoardRow]  # every draft, best first
    listed_drafts: list[board.BoardRow]  # awards and waitlist; declines are only counted
    awards: list[board.BoardRow]
    waitlist: list[board.BoardRow]
    undecided: int
    draft_counts: dict[str, int]


def decisions_overview(*, call: Call) -> DecisionsOverview:
    ranked = board_rows(call=call)
    drafts = [row for row in ranked if row.outcome and not row.published]
    awards = [
        row
        for row in ranked
        if row.published
        and row.state
        in {
            ApplicationState.AWARDED,
            ApplicationState.ACCEPTED,
            ApplicationState.DECLINED_BY_APPLICANT,
        }
    ]
    return DecisionsOverview(
        ranked=ranked,
        budget=board.budget_compute(ranked, total=call.budget, currency=call.currency),
        drafts=drafts,
        listed_drafts=[row for row in drafts if row.outcome != DecisionOutcome.DECLINE],
        awards=awards,
        waitlist=[row for row in ranked if row.state == ApplicationState.WAITLISTED],
        undecided=sum(1 for row in ranked if row.decidable and row.outcome is None),
        draft_counts={
            outcome: sum(1 for row in drafts if row.outcome == outcome)
            for outcome in DecisionOutcome.values
        },
    )


#: What the decision and award actions of the trail mean, in words; other actions (the
#: reviews' "review.…") are shown as they are recorded.
ACTION_LABELS = {
    "decision.created": _("Decision drafted"),
    "decision.changed": _("Decision changed"),
    "decision.removed": _("Decision removed"),
    "decision.published": _("Decision published"),
    "decision.offered": _("Award offered from the waitlist"),
    "award.accepted": _("Award accepted by the student"),
    "award.declined": _("Award declined by the student"),
}
AUDIT_KINDS = ("decision", "award", "review")


@dataclass(frozen=True)
class AuditRow:
    entry: AuditEntry
    label: str
    subject: str  # "#12 Amina Diallo", or the object's type and id
    changes: list[tuple[str, str, str]]  # (field, before, after) for the fields that differ


@dataclass
class AuditPage:
    page: Page
    rows: list[AuditRow]


def audit_page(*, call: Call, page: str | int | None, kind: str | None = None) -> AuditPage:
    """The call's audit trail, newest first, 50 entries a page; `kind` keeps one family of
    actions. Constant queries: the count, the page, and at most two to name the applications."""
    entries = audit_list(scope=f"call:{call.pk}")
    if kind in AUDIT_KINDS:
        entries = entries.filter(action__startswith=f"{kind}.")
    page_obj = Paginator(entries, AUDIT_PAGE_SIZE).get_page(page)
    listed = list(page_obj)
    subjects = _audit_subjects(call, listed)
    rows = [
        AuditRow(
            entry=entry,
            label=str(ACTION_LABELS.get(entry.action, entry.action)),
            subject=subjects.get(entry.pk, f"{entry.object_type} #{entry.object_id}"),
            changes=_changes(entry.before, entry.after),
        )
        for entry in listed
    ]
    return AuditPage(page=page_obj, rows=rows)


def _silent(value) -> bool:
    """Says nothing on a creation or removal; by identity, so that a score of 0 still shows."""
    return value is None or value is False


def _shown(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(_("yes") if value else _("no"))
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return str(value)


_FIELD_ORDER = {
    name: rank
    for rank, name in enumerate(
        ["outcome", "amount", "respond_by", "state", "scores", "recommendation", "comment"]
    )
}


def _changes(before, after) -> list[tuple[str, str, str]]:
    """The fields that differ. On a creation or a removal, the fields that say something (the
    application is named in its own column)."""
    one_sided = not (isinstance(before, dict) and isinstance(after, dict))
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    changes = []
    # PostgreSQL's jsonb does not keep key order: show the fields in an order of our own.
    keys = sorted(dict.fromkeys([*before, *after]), key=lambda k: (_FIELD_ORDER.get(k, 99), k))
    for key in keys:
        old, new = before.get(key), after.get(key)
        if key == "application" or old == new:
            continue
        if one_sided and _silent(old) and _silent(new):
            continue
        changes.append((key, _shown(old), _shown(new)))
    return changes


def _audit_subjects(call: Call, entries: list[AuditEntry]) -> dict[int, str]:
    """Name the application each entry is about: decisions carry its id in their snapshots,
    reviews are looked up (one query), then the applicants' names (one query)."""
    review_ids = {
        int(entry.object_id)
        for entry in entries
        if entry.object_type == "applications.review" and entry.object_id.isdigit()
    }
    review_applications = dict(
        Review.objects.filter(pk__in=review_ids, assignment__application__call=call).values_list(
            "pk", "assignment__application_id"
        )
        if review_ids
        else []
    )
    about: dict[int, int] = {}
    for entry in entries:
        snapshot = entry.after or entry.before or {}
        application_id = snapshot.get("application") if isinstance(snapshot, dict) else None
        if application_id is None and entry.object_id.isdigit():
            if entry.object_type == "applications.review":
                application_id = review_applications.get(int(entry.object_id))
            elif entry.object_type == "applications.application":
                application_id = int(entry.object_id)
        if isinstance(application_id, int):
            about[entry.pk] = application_id
    names = (
        {
            pk: name or email
            for pk, name, email in Application.objects.filter(
                pk__in=set(about.values()), call=call
            ).values_list("pk", "applicant__full_name", "applicant__email")
        }
        if about
        else {}
    )
    return {
        entry_pk: f"#{application_id} {names[application_id]}"
        for entry_pk, application_id in about.items()
        if application_id in names
    }
