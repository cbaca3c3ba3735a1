"""Upload tickets handed out, tracked for a day: the limit per sender, and the clean-up.

A browser that takes a ticket and never comes back to `finish` (a closed tab, a failed post)
may still have put an object in storage; a finish whose transaction rolls back leaves the copy
it made under the final key; a form posted again after its finish leaves a one-time object that
nothing serves. Each ticket is recorded when it is handed out and closed, in the transaction
that records its object (or when its object is refused and deleted); the hourly job then
deletes, a day after each ticket, its one-time object and, for a ticket never closed, the copy.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext as _

from portal import storage
from portal.errors import Refused
from portal.models import PendingUpload

#: A ticket not confirmed within this time is abandoned (presigned posts expire long before).
LIFETIME = timedelta(days=1)
#: Unconfirmed tickets one sender may hold within LIFETIME.
MAX_PENDING = 5


def pending_upload_check(*, prefix: str, owner, now: datetime) -> None:
    """Refuse a sixth unconfirmed ticket within the day, per person (per document without one)."""
    pending = PendingUpload.objects.filter(created_at__gt=now - LIFETIME, closed_at__isnull=True)
    pending = pending.filter(owner=owner) if owner is not None else pending.filter(prefix=prefix)
    if pending.count() >= MAX_PENDING:
        raise Refused(
            _(
                "Too many uploads were started without being finished. Please finish or "
                "cancel them, or try again tomorrow."
            ),
            code="too_many_pending",
            status=429,
        )


def pending_upload_record(*, key: str, prefix: str, owner, now: datetime) -> PendingUpload:
    return PendingUpload.objects.create(key=key, prefix=prefix, owner=owner, created_at=now)


def pending_upload_close(*, key: str, now: datetime) -> None:
    """The object of this ticket now counts, or was refused and deleted: no longer pending."""
    PendingUpload.objects.filter(key=key, closed_at__isnull=True).update(closed_at=now)


def pending_upload_closed(*, key: str) -> bool:
    """Whether this ticket was used: its form may not be posted again (see `storage_upload`)."""
    return PendingUpload.objects.filter(key=key, closed_at__isnull=False).exists()


def pending_uploads_delete(*, now: datetime) -> dict[str, int]:
    """The job: a day after each ticket, delete what it may have left in storage, and the ticket.

    That is its one-time object, and for a ticket never closed also the copy under the final key
    (a finish rolled back after copying); those are counted. Deleting the row is the claim (as
    `jobs.once` would be): of two runs, only the one whose delete removed it deletes the objects.
    They are deleted before the transaction commits, so a storage failure keeps the row for the
    next run.
    """
    deleted = 0
    expired = PendingUpload.objects.filter(created_at__lte=now - LIFETIME)
    rows = expired.values_list("pk", "key", "closed_at")
    for pk, key, closed_at in rows.iterator(chunk_size=500):
        with transaction.atomic():
            claimed, _counts = PendingUpload.objects.filter(pk=pk).delete()
            if not claimed:
                continue
            storage.object_delete(key)
            final = storage.final_key(key)
            if closed_at is None:
                if final:
                    storage.object_delete(final)
                deleted += 1
    return {"deleted": deleted}
