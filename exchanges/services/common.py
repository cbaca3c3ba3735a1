"""What the exchange services share: locks and retries, and the refusals of both rankings."""

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import OperationalError, connection, transaction
from django.utils.translation import gettext as _

from portal.errors import Refused

T = TypeVar("T")


def atomic_with_retry(fn: Callable[[], T], *, attempts: int = 8) -> T:
    """Run `fn` in a transaction, again if SQLite reported a lock held by a concurrent writer.

    PostgreSQL waits on the row lock taken with `select_for_update`, so nothing is retried
    there. SQLite has no row locks: a second writer may be refused at once ("database is
    locked", or "table is locked" on a shared in-memory database), and trying again after the
    first writer commits is what waiting would have done.
    """
    for attempt in range(attempts):
        try:
            with transaction.atomic():
                return fn()
        except OperationalError as error:
            retry = (
                connection.vendor == "sqlite"
                and "locked" in str(error)
                and not connection.in_atomic_block
                and attempt < attempts - 1
            )
            if not retry:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def lock_row(queryset, pk: int):
    """Fetch one row for update. On SQLite, which ignores FOR UPDATE, write to it first: a
    transaction that starts by writing takes the database's write lock before it reads, so a
    concurrent writer waits (or is retried) instead of working from a stale snapshot."""
    if connection.vendor == "sqlite":
        name = queryset.model._meta.pk.attname
        queryset.filter(pk=pk).update(**{name: pk})
    return queryset.select_for_update(of=("self",)).get(pk=pk)


def full_clean_or_refuse(instance, *, exclude=None) -> None:
    """The model's own validation, as a refusal about its first invalid field (a form has
    checked the input already: this guards callers that bypass one)."""
    try:
        instance.full_clean(exclude=exclude)
    except ValidationError as error:
        field, messages = next(iter(error.message_dict.items()))
        raise Refused(
            messages[0],
            code="invalid",
            field=None if field == NON_FIELD_ERRORS else field,
            details=messages[1:],
        ) from None


def ranking_closed(cycle, *, now, closes_at, deadline_passed: str) -> Refused:
    """Why a ranking of `cycle` cannot change now: not open yet, or its deadline has passed."""
    if now < closes_at:
        return Refused(
            _("Ranking in %(cycle)s has not opened yet.") % {"cycle": cycle.name},
            code="not_open_yet",
        )
    return Refused(deadline_passed, code="deadline_passed")


def order_move(order: list[int], item: int, *, up: bool) -> bool:
    """Swap `item` with its neighbour above or below in `order`; False when it is already
    first (up) or last (down) and nothing moved."""
    index = order.index(item)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(order):
        return False
    order[index], order[other] = order[other], order[index]
    return True
