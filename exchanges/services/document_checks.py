"""A host school or programme staff accept or reject one of a student's documents."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.enums import DocumentKind
from exchanges.models import StudentDocument
from exchanges.models.ranking import REJECTION_REASON_MAX, DocumentCheck
from exchanges.services.common import lock_row
from portal.audit import audit_record
from portal.emails import email_send
from portal.errors import Refused


def _refuse_bad_check(
    document: StudentDocument, decision: str, reason: str, expires_on: date | None, today: date
) -> None:
    if decision not in (DocumentCheck.ACCEPTED, DocumentCheck.REJECTED):
        raise Refused(_("Accept or reject the document."), code="unknown_decision")
    if decision == DocumentCheck.REJECTED:
        if not reason:
            raise Refused(
                _("Say why you reject the document: the student reads it."),
                code="reason_required",
                field="reason",
            )
        if len(reason) > REJECTION_REASON_MAX:
            raise Refused(
                _("Keep the reason to %(max)s characters.") % {"max": REJECTION_REASON_MAX},
                code="reason_too_long",
                field="reason",
            )
        return
    if document.expires and expires_on is None:
        raise Refused(
            _("Give the date until which the document is valid."),
            code="expiry_required",
            field="expires_on",
        )
    if document.expires and expires_on < today:
        raise Refused(
            _("This document is no longer valid; reject it and say so."),
            code="already_expired",
            field="expires_on",
        )


def _state(document: StudentDocument) -> dict:
    return {
        "check_status": document.check_status,
        "rejection_reason": document.rejection_reason,
        "expires_on": document.expires_on.isoformat() if document.expires_on else None,
    }


def document_check(
    *,
    document: StudentDocument,
    by,
    decision: str,
    reason: str = "",
    expires_on: date | None = None,
    now=None,
) -> StudentDocument:
    """Accept (with the date it is valid until, for immunisation and insurance) or reject
    (with a reason the student reads, and an email to them) one document. The same check
    twice changes nothing; a change of mind is recorded like the first check."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    _refuse_bad_check(document, decision, reason, expires_on, timezone.localdate(now))
    with transaction.atomic():
        if not StudentDocument.objects.filter(pk=document.pk).exists():
            raise Refused(
                _("The student replaced this document meanwhile; check the new one."),
                code="replaced",
                status=409,
            )
        current = lock_row(StudentDocument.objects.select_related("rank_list__cycle"), document.pk)
        before = _state(current)
        current.check_status = decision
        current.rejection_reason = reason if decision == DocumentCheck.REJECTED else ""
        current.expires_on = (
            expires_on if decision == DocumentCheck.ACCEPTED and current.expires else None
        )
        after = _state(current)
        if after == before:
            return current  # a double click, or a second checker who agrees
        current.checked_by = by
        current.checked_at = now
        current.save(
            update_fields=[
                "check_status",
                "rejection_reason",
                "expires_on",
                "checked_by",
                "checked_at",
            ]
        )
        audit_record(
            actor=by,
            action="student_document.checked",
            obj=current,
            scope=f"exchange_cycle:{current.rank_list.cycle_id}",
            before=before,
            after={**after, "kind": current.kind, "rank_list": current.rank_list_id},
        )
        if decision == DocumentCheck.REJECTED:
            _tell_student(current)
    return current


def _tell_student(document: StudentDocument) -> None:
    student = document.rank_list.student
    email_send(
        to=[student.email],
        template="exchanges_document_rejected",
        context={
            "name": student.get_short_name(),
            "document": DocumentKind(document.kind).label,  # lazy: the reader's language
            "reason": document.rejection_reason,
            "cycle": document.rank_list.cycle,
        },
        user=student,
    )
