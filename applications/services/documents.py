"""An applicant's documents: uploaded by the shared protocol (`portal.uploads`), and removed."""

from django.db import transaction

from applications.enums import DocumentStatus
from applications.models import Application, Document, DocumentKind
from applications.services.applications import (
    application_check_editable,
    application_refresh_missing,
)
from portal import storage
from portal.uploads import Upload


class DocumentUpload(Upload):
    """One document of one kind of the call, while the application may still change.

    A verified document replaces the applicant's previous one of the same kind.
    """

    def __init__(self, *, application: Application, kind: DocumentKind, now=None):
        if kind.call_id != application.call_id:
            raise ValueError("This document kind belongs to another call.")
        super().__init__(
            prefix=f"applications/{application.call_id}/{application.pk}/{kind.pk}",
            allowed_types=kind.allowed_types,
            max_size=kind.max_size,
            now=now,
        )
        self.application = application
        self.kind = kind

    def authorise(self) -> None:
        application_check_editable(application=self.application, now=self.now)

    def recorded(self, key: str) -> Document | None:
        return Document.objects.filter(
            application=self.application, kind=self.kind, key=key, status=DocumentStatus.VERIFIED
        ).first()

    def record(self, stored: storage.StoredObject, *, name: str) -> Document:
        # Two finishes of this application take turns here; the second sees the first's record.
        Application.objects.select_for_update().get(pk=self.application.pk)
        previous = list(Document.objects.filter(application=self.application, kind=self.kind))
        same = next((d for d in previous if d.key == stored.key), None)
        if same is not None:  # the same upload, finished twice at once
            return same
        for old in previous:
            old.delete()
            self.discard(old.key)
        document = Document.objects.create(
            application=self.application,
            kind=self.kind,
            key=stored.key,
            original_name=name,
            size=stored.size,
            content_type=stored.content_type,
            sha256=stored.sha256,
            status=DocumentStatus.VERIFIED,
        )
        application_refresh_missing(application=self.application)
        return document


def document_remove(*, application: Application, document: Document) -> None:
    application_check_editable(application=application)
    with transaction.atomic():
        document.delete()
        application_refresh_missing(application=application)
        transaction.on_commit(lambda: storage.object_delete(document.key))
