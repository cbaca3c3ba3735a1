"""A student's documents for the rotations they rank: straight to storage, then verified."""

from typing import IO

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from exchanges.enums import DOCUMENT_MAX_SIZE, DOCUMENT_TYPES, DocumentKind
from exchanges.models import RankList, StudentDocument
from exchanges.selectors.students import rank_list_required_kinds
from exchanges.services.common import Refused, lock_row
from portal import storage


class DocumentUpload:
    """One document of one kind for one rank list, in two steps (`start`, then `finish`) when
    the browser posts straight to storage, or in one (`save`) through the portal without
    JavaScript. Either way the stored object is verified before it counts."""

    def __init__(self, *, rank_list: RankList, kind: str, now=None):
        if kind not in rank_list_required_kinds(rank_list):
            raise Refused(_("None of the rotations on your list asks for this document."))
        if not rank_list.cycle.students_may_rank(now or timezone.now()):
            raise Refused(_("The deadline has passed; documents can no longer change."))
        self.rank_list = rank_list
        self.kind = DocumentKind(kind)
        self.prefix = f"exchanges/{rank_list.cycle_id}/{rank_list.pk}/{kind}"

    def start(
        self, *, content_type: str, success_redirect: str | None = None
    ) -> storage.UploadTicket:
        if content_type not in DOCUMENT_TYPES:
            raise Refused(
                _("Upload a PDF, JPEG or PNG file."),
            )
        return storage.upload_start(
            prefix=self.prefix,
            content_type=content_type,
            max_size=DOCUMENT_MAX_SIZE,
            success_redirect=success_redirect,
        )

    def finish(self, *, key: str, original_name: str) -> StudentDocument:
        if not key.startswith(self.prefix + "/"):
            raise Refused(_("This upload does not belong to this document. Please try again."))
        try:
            stored = storage.upload_verify(
                key=key, max_size=DOCUMENT_MAX_SIZE, allowed_types=DOCUMENT_TYPES
            )
        except storage.UploadRejected as rejected:
            raise Refused(rejected.message) from None
        return self._record(stored, original_name)

    def save(self, *, file: IO[bytes], original_name: str) -> StudentDocument:
        try:
            stored = storage.upload_save(
                prefix=self.prefix,
                file=file,
                max_size=DOCUMENT_MAX_SIZE,
                allowed_types=DOCUMENT_TYPES,
            )
        except storage.UploadRejected as rejected:
            raise Refused(rejected.message) from None
        return self._record(stored, original_name)

    @transaction.atomic
    def _record(self, stored: storage.StoredObject, original_name: str) -> StudentDocument:
        lock_row(RankList.objects.all(), self.rank_list.pk)
        previous = StudentDocument.objects.filter(rank_list=self.rank_list, kind=self.kind).first()
        if previous is not None:
            if previous.key == stored.key:
                return previous
            old_key = previous.key
            previous.delete()
            transaction.on_commit(lambda: storage.object_delete(old_key))
        return StudentDocument.objects.create(
            rank_list=self.rank_list,
            kind=self.kind,
            key=stored.key,
            original_name=(original_name or "document")[-255:],
            size=stored.size,
            content_type=stored.content_type,
            sha256=stored.sha256,
        )
