"""Upload tickets handed out and not yet confirmed: the limit per sender, and the clean-up.

A browser that takes a ticket and never comes back to `finish` (a closed tab, a failed post)
may still have put an object in storage. Each ticket is recorded when it is handed out and
forgotten when `finish` records or refuses its object; the hourly job deletes, from storage and
database, the tickets never confirmed within a day.
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
    pending = PendingUpload.objects.filter(created_at__gt=now - LIFETIME)
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


def pending_upload_forget(*, key: str) -> None:
    """The object of this ticket now counts, or was refused and deleted: nothing to clean."""
    PendingUpload.objects.filter(key=key).delete()


def pending_uploads_delete(*, now: datetime) -> dict[str, int]:
    """The job: delete each ticket older than a day, and its object if one arrived.

    Deleting the row is the claim (as `jobs.once` would be): of two runs, only the one whose
    delete removed it deletes the object and counts it. The object is deleted before the
    transaction commits, so a storage failure keeps the row for the next run.
    """
    deleted = 0
    expired = PendingUpload.objects.filter(created_at__lte=now - LIFETIME)
    for pk, key in expired.values_list("pk", "key").iterator(chunk_size=500):
        with transaction.atomic():
            claimed, _counts = PendingUpload.objects.filter(pk=pk).delete()
            if claimed:
                storage.object_delete(key)
                deleted += 1
    return {"deleted": deleted}
