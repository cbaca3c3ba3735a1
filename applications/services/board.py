"""Keeping the ranking board's stored scores and ranks up to date (`applications.models.board`).

A review submitted, changed or reopened marks its call's board dirty (`board_mark_dirty`, in
the review's transaction); once that commits, one background task recomputes the whole call
(`board_refresh`). The task is queued only by the change that finds no task queued yet, so a
burst of reviews causes one recomputation; a review that arrives while it runs queues the
next. The board page also refreshes a small stale call itself, and asks for a refresh of a
large one (`board_refresh_request`) while it shows the ranks it has, marked as updating.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from applications.models import BoardEntry, BoardState, Call
from portal.tasks import task


def board_refresh(*, call: Call) -> BoardState:
    """Recompute the normalised scores and ranks of every application on the call's board and
    store them; returns the call's board state."""
    BoardState.objects.get_or_create(call=call)
    # Cleared before reading: a review saved from now on queues a refresh of its own.
    BoardState.objects.filter(call=call).update(pending=False)
    return BoardEntry.objects.rebuild(call)


def board_mark_dirty(*, call_id: int) -> None:
    """The call's reviews changed: its board needs recomputing. Queues the refresh after
    commit, unless one is queued already."""
    BoardState.objects.get_or_create(call_id=call_id)
    BoardState.objects.filter(call_id=call_id).update(version=F("version") + 1)
    board_refresh_request(call_id=call_id)


def board_refresh_request(*, call_id: int) -> bool:
    """Queue a background refresh of the call's board once the current transaction commits,
    unless one is queued already; True when this call queued it."""
    queued = BoardState.objects.filter(call_id=call_id, pending=False).update(pending=True)
    if queued:
        transaction.on_commit(lambda: task_board_refresh.enqueue(call_id=call_id))
    return bool(queued)


@task()
def task_board_refresh(*, call_id: int) -> int:
    """Recompute one call's board; returns the number of ranked applications."""
    call = Call.objects.filter(pk=call_id).first()
    if call is None:
        return 0
    return board_refresh(call=call).ranked
