"""Retention of medical documents: an immunisation record or a proof of insurance is deleted,
object and row, a set number of days after it stopped being needed.

It is needed until the rotation of the student's confirmed placement ends; for a student never
placed (or whose offer was declined or lapsed), until the cycle closes: the end of its
post-match round, or the students' answer date when the cycle has no post-match round end.
The days per kind are the setting `PORTAL_RETENTION_DAYS`; a kind it does not name is kept.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import transaction

from exchanges.enums import DocumentKind, PlacementStatus
from exchanges.models import StudentDocument
from portal import jobs
from portal.privacy import objects_delete_on_commit

#: Used when the settings do not say otherwise.
DEFAULT_RETENTION_DAYS = {DocumentKind.IMMUNISATION.value: 90, DocumentKind.INSURANCE.value: 90}


def retention_days() -> dict[str, int]:
    return dict(getattr(settings, "PORTAL_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def document_needed_until(document: StudentDocument) -> datetime:
    """The moment a document stops being needed (before its days of retention)."""
    rank_list = document.rank_list
    cycle = rank_list.cycle
    placement = getattr(rank_list, "placement", None)
    if placement is not None and placement.status == PlacementStatus.CONFIRMED:
        # The rotation's last day, in the cycle's time zone.
        day_after = placement.rotation.end_date + timedelta(days=1)
        return datetime.combine(day_after, time(), tzinfo=cycle.zone)
    return cycle.post_match_closes_at or cycle.respond_by


def document_delete_at(document: StudentDocument, days: int) -> datetime:
    return document_needed_until(document) + timedelta(days=days)


def documents_retention_apply(*, now: datetime) -> dict[str, int]:
    """The job: delete each retained kind's documents whose time is up, once each."""
    deleted = 0
    days = retention_days()
    documents = StudentDocument.objects.filter(kind__in=list(days)).select_related(
        "rank_list__cycle", "rank_list__placement__rotation"
    )
    due = [
        (document.pk, document.key)
        for document in documents.iterator(chunk_size=500)
        if now >= document_delete_at(document, days[document.kind])
    ]
    for pk, key in due:
        with transaction.atomic():
            if not jobs.once(f"exchanges.document_retention:{pk}"):
                continue
            claimed, _counts = StudentDocument.objects.filter(pk=pk).delete()
            if claimed:
                objects_delete_on_commit([key])
                deleted += 1
    return {"deleted": deleted}
