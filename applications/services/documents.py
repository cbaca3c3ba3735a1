"""An applicant's documents: a two-step upload straight to storage, and removal."""

from django.db import transaction
from django.utils import timezone

from applications.enums import DocumentStatus
from applications.models import Application, Document, DocumentKind
from applications.services.applications import (
    application_check_editable,
    application_refresh_missing,
)
from portal import storage


class DocumentUpload:
    """`start` presigns an upload and records it as pending; `finish` verifies what arrived.

    A verified document replaces the applicant's previous one of the same kind. Each step is
    atomic; an upload that is started and never finished stays pending and never counts.
    """

    def __init__(self, *, application: Application, kind: DocumentKind):
        if kind.call_id != application.call_id:
            raise ValueError("This document kind belongs to another call.")
        self.application = application
        self.kind = kind

    def start(self, *, content_type: str, filename: str, success_redirect: str | None = None):
        application_check_editable(application=self.application)
        if content_type not in self.kind.allowed_types:
            raise storage.UploadRejected(
                "wrong_type",
                storage.wrong_type_message(self.kind.allowed_types),
            )
        ticket = storage.upload_start(
            prefix=f"applications/{self.application.call_id}",
            content_type=content_type,
            max_size=self.kind.max_size,
            success_redirect=success_redirect,
        )
        Document.objects.create(
            application=self.application,
            kind=self.kind,
            key=ticket.key,
            original_name=filename[:255],
            content_type=content_type,
        )
        return ticket

    def finish(self, *, key: str, sha256: str | None = None) -> Document:
        document = Document.objects.get(
            application=self.application, kind=self.kind, key=key, status=DocumentStatus.PENDING
        )
        try:
            stored = storage.upload_verify(
                key=key,
                max_size=self.kind.max_size,
                allowed_types=self.kind.allowed_types,
                expected_sha256=sha256,
            )
        except storage.UploadRejected:
            document.delete()
            raise
        return _accept(document, stored)

    def save_direct(self, *, file) -> Document:
        """The path without JavaScript: the file comes through the portal, same limits."""
        application_check_editable(application=self.application)
        stored = storage.upload_save(
            prefix=f"applications/{self.application.call_id}",
            file=file,
            max_size=self.kind.max_size,
            allowed_types=self.kind.allowed_types,
        )
        document = Document(
            application=self.application,
            kind=self.kind,
            key=stored.key,
            original_name=(getattr(file, "name", "") or "")[:255],
        )
        return _accept(document, stored)


def _accept(document: Document, stored: storage.StoredObject) -> Document:
    application = document.application
    try:
        application_check_editable(application=application, now=timezone.now())
    except Exception:
        storage.object_delete(stored.key)  # arrived too late: keep nothing that does not count
        Document.objects.filter(pk=document.pk).delete()
        raise
    with transaction.atomic():
        replaced = list(
            Document.objects.select_for_update().filter(
                application=application, kind=document.kind, status=DocumentStatus.VERIFIED
            )
        )
        for old in replaced:
            old.delete()
        document.size = stored.size
        document.content_type = stored.content_type
        document.sha256 = stored.sha256
        document.status = DocumentStatus.VERIFIED
        document.save()
        application_refresh_missing(application=application)
        keys = [old.key for old in replaced]
        transaction.on_commit(lambda: [storage.object_delete(key) for key in keys])
    return document


def document_remove(*, application: Application, document: Document) -> None:
    application_check_editable(application=application)
    with transaction.atomic():
        document.delete()
        application_refresh_missing(application=application)
        transaction.on_commit(lambda: storage.object_delete(document.key))
