"""What every exchange service shares: the refusal it raises and a retry on a locked SQLite."""

import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.utils.functional import Promise

T = TypeVar("T")


class Refused(Exception):
    """A rule said no; the message is for the person who asked, in their language."""

    def __init__(self, message: str | Promise, details: Sequence[str] = ()):
        super().__init__(str(message))
        self.message = str(message)
        self.details = list(details)


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


def recipient_language(user) -> str:
    """The language to write to someone in: theirs if the portal speaks it."""
    codes = {code for code, _name in settings.LANGUAGES}
    preferred = getattr(user, "preferred_language", "")
    return preferred if preferred in codes else settings.LANGUAGE_CODE
