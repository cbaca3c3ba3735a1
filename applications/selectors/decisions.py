"""Reads of a call's decisions: the chair's overview, and the student's own published decision
and award letter (authorised in one step: anything else is a 404)."""

from dataclasses import dataclass

from django.http import Http404

from applications.algorithms import board
from applications.enums import ApplicationState, DecisionOutcome
from applications.models import Application, Call, Decision
from applications.selectors.board import board_rows
from portal.permissions import allowed


def _with_decision(application_id: int) -> Application | None:
    return (
        Application.objects.filter(pk=application_id)
        .select_related("call", "applicant", "decision")
        .first()
    )


def application_get_with_own_decision(*, user, application_id: int) -> Application:
    """The applicant's own application with its published decision; 404 otherwise."""
    application = _with_decision(application_id)
    if application is None or not allowed(user, "applications.view_own_decision", application):
        raise Http404
    return application


def award_letter_get(*, user, application_id: int) -> Decision:
    """A published award's letter, for its student or the call's managers; 404 otherwise (and
    while the letter is still being rendered)."""
    application = _with_decision(application_id)
    if application is None or not allowed(user, "applications.download_award_letter", application):
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
    awarded = ApplicationState.awarded()
    awards = [row for row in ranked if row.published and row.state in awarded]
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


def award_open_for_answer(*, application: Application, now=None) -> bool:
    """The student may still accept or decline: awarded, and the last day to answer (in the
    call's time zone) has not passed."""
    decision = application.decision
    return (
        application.state == ApplicationState.AWARDED
        and decision.respond_by is not None
        and not application.call.day_has_passed(decision.respond_by, now)
    )
