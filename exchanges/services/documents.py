"""A student's documents for the rotations they rank, by the shared upload protocol."""

from django.utils.translation import gettext as _

from exchanges.enums import DOCUMENT_MAX_SIZE, DOCUMENT_TYPES, DocumentKind
from exchanges.models import RankList, StudentDocument
from exchanges.selectors.students import rank_list_required_kinds
from exchanges.services.common import lock_row
from portal import storage
from portal.audit import audit_record
from portal.errors import Refused
from portal.uploads import Upload


class DocumentUpload(Upload):
    """One document of one kind for one rank list, while students may rank; a rotation on the
    list must ask for it. A new one replaces the previous document of its kind, and so starts
    unchecked again (the audit trail keeps how the previous one was checked)."""

    def __init__(self, *, rank_list: RankList, kind: str, now=None):
        super().__init__(
            prefix=f"exchanges/{rank_list.cycle_id}/{rank_list.pk}/{kind}",
            allowed_types=DOCUMENT_TYPES,
            max_size=DOCUMENT_MAX_SIZE,
            now=now,
        )
        self.rank_list = rank_list
        self.kind = DocumentKind(kind)

    def authorise(self) -> None:
        if self.kind not in rank_list_required_kinds(self.rank_list):
            raise Refused(
                _("None of the rotations on your list asks for this document."), code="not_asked"
            )
        if not self.rank_list.cycle.students_may_rank(self.now):
            raise Refused(
                _("The deadline has passed; documents can no longer change."),
                code="deadline_passed",
            )

    def recorded(self, key: str) -> StudentDocument | None:
        return StudentDocument.objects.filter(
            rank_list=self.rank_list, kind=self.kind, key=key
        ).first()

    def record(self, stored: storage.StoredObject, *, name: str) -> StudentDocument:
        # Two finishes of this list take turns here; the second sees the first's record.
        lock_row(RankList.objects.all(), self.rank_list.pk)
        previous = StudentDocument.objects.filter(rank_list=self.rank_list, kind=self.kind).first()
        if previous is not None and previous.key == stored.key:  # the same upload, twice at once
            return previous
        if previous is not None:
            previous.delete()
            self.discard(previous.key)
        document = StudentDocument.objects.create(
            rank_list=self.rank_list,
            kind=self.kind,
            key=stored.key,
            original_name=name or "document",
            size=stored.size,
            content_type=stored.content_type,
            sha256=stored.sha256,
        )
        if previous is not None:
            _audit_replacement(self.rank_list, previous, document)
        return document


def _audit_replacement(rank_list: RankList, previous: StudentDocument, new: StudentDocument):
    """A new file starts unchecked; the trail keeps how the one it replaced was checked."""
    audit_record(
        actor=rank_list.student,
        action="student_document.replaced",
        obj=new,
        scope=f"exchange_cycle:{rank_list.cycle_id}",
        before={
            "kind": previous.kind,
            "original_name": previous.original_name,
            "sha256": previous.sha256,
            "check_status": previous.check_status,
            "rejection_reason": previous.rejection_reason,
            "expires_on": previous.expires_on.isoformat() if previous.expires_on else None,
            "checked_by": previous.checked_by_id,
        },
        after={
            "kind": new.kind,
            "original_name": new.original_name,
            "sha256": new.sha256,
            "check_status": new.check_status,
        },
    )
