"""Which stage of a reminder schedule is due: pure arithmetic on moments, no Django."""

from collections.abc import Iterable
from datetime import datetime, timedelta


def stage_due(
    *, deadline: datetime, now: datetime, before: Iterable[timedelta]
) -> timedelta | None:
    """The latest stage (an offset before `deadline`) whose moment has come, while the deadline
    has not passed; None before the first moment and from the deadline on.

    Only the latest one: a job that did not run for days sends one reminder, not a burst.
    """
    if now >= deadline:
        return None
    due = [offset for offset in before if deadline - offset <= now]
    return min(due) if due else None


def stage_name(offset: timedelta) -> str:
    """A stage as it appears in a ledger key: "7d", or "36h" for an offset of hours."""
    if offset % timedelta(days=1) == timedelta(0):
        return f"{offset.days}d"
    return f"{int(offset.total_seconds() // 3600)}h"
