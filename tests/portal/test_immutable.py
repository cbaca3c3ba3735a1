"""Documents immutable once verified (portal.uploads, portal.storage), on local disk and on S3
over HTTP (moto's server): the browser posts to a one-time key and only the verified copy under
the final key is served, with its checksum checked on every download; a finish repeated, two at
once, or rolled back leaves one document and no orphan object; the tickets behind all of it are
limited per person and cleaned up a day later."""

import hashlib
import json
import logging
from datetime import timedelta

import pytest
import requests
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone

from applications.enums import RefereeStatus
from applications.models import RefereeRequest
from applications.services.referees import LetterUpload
from exchanges.models import StudentDocument
from portal import pending_uploads, storage, uploads
from portal.errors import Refused
from portal.models import AuditEntry, PendingUpload
from tests.factories.applications import PDF
from tests.factories.exchanges import (
    PNG,
)

pytestmark = pytest.mark.django_db

OTHER_PDF = PDF + b"% forged\n"


def _served(client, document) -> bytes:
    """What a download of the document hands out, by the URL `storage.download_url` gives."""
    url = storage.download_url(
        key=document.key,
        filename=document.original_name,
        content_type=document.content_type,
        sha256=document.sha256,
    )
    if url.startswith("http"):
        return requests.get(url, timeout=10).content
    return b"".join(client.get(url).streaming_content)


def _keys(prefix: str) -> list[str]:
    """Every object stored under `prefix`, in any folder."""
    folders, files = default_storage.listdir(prefix)
    found = [f"{prefix}/{name}" for name in files]
    for folder in folders:
        found += _keys(f"{prefix}/{folder}")
    return sorted(found)


def _overwrite(key: str, content: bytes) -> None:
    """Change a stored object behind the portal's back, as only someone with the bucket's own
    credentials could (no form names a final key)."""
    default_storage.delete(key)
    default_storage.save(key, ContentFile(content))


# --- One-time keys: posting the form again changes nothing served -----------------------------


def test_the_browser_posts_to_a_one_time_key_and_the_copy_is_kept_apart(
    rank_list, client, backend, exchange_upload, send_ticket
):
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf")
    send_ticket(client, ticket, PDF)

    document = upload.finish(key=ticket.key, sha256=hashlib.sha256(PDF).hexdigest())

    assert ticket.key.startswith(f"{upload.prefix}/incoming/")
    assert document.key == storage.final_key(ticket.key)
    assert document.key.startswith(f"{upload.prefix}/")
    assert "incoming" not in document.key
    assert default_storage.open(document.key).read() == PDF


def test_posting_the_form_again_after_the_finish_changes_nothing_served(
    rank_list, client, backend, django_capture_on_commit_callbacks, exchange_upload, send_ticket
):
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf")
    send_ticket(client, ticket, PDF)
    with django_capture_on_commit_callbacks(execute=True):
        document = upload.finish(key=ticket.key, name="vaccins.pdf")

    again = send_ticket(client, ticket, OTHER_PDF)

    document.refresh_from_db()
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert _served(client, document) == PDF
    assert storage.object_checksum(document.key) == hashlib.sha256(PDF).hexdigest()
    # S3 accepts the post (to the one-time key, which nothing serves); the stand-in refuses it.
    assert again == (201 if backend else 409)


def test_posting_the_form_again_before_the_copy_is_refused(
    rank_list, client, backend, exchange_upload, send_ticket
):
    """Between the check and the copy, the one-time object changes: the copy is refused."""
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf")
    send_ticket(client, ticket, PDF)
    verified = storage.object_verify(
        key=ticket.key, max_size=upload.max_size, allowed_types=upload.allowed_types
    )
    _overwrite(ticket.key, OTHER_PDF)

    with pytest.raises(Refused, match="The file changed on the way") as refusal:
        storage.object_promote(verified, key=storage.final_key(ticket.key))

    assert refusal.value.code == "checksum"
    assert not default_storage.exists(storage.final_key(ticket.key))


def test_s3_keeps_the_checksum_with_the_copy(
    rank_list, client, bucket, exchange_upload, send_ticket
):
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf")
    send_ticket(client, ticket, PDF)

    document = upload.finish(key=ticket.key)

    head = bucket["client"].head_object(
        Bucket=bucket["bucket"], Key=document.key, ChecksumMode="ENABLED"
    )
    assert head["Metadata"]["sha256"] == document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert head["ChecksumSHA256"]
    assert storage.object_checksum(document.key) == document.sha256


# --- Checked when served ------------------------------------------------------------------------


def test_a_document_that_no_longer_matches_its_checksum_is_not_served(
    rank_list, client, backend, caplog, exchange_upload, send_ticket
):
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf")
    send_ticket(client, ticket, PDF)
    document = upload.finish(key=ticket.key, name="vaccins.pdf")
    _overwrite(document.key, OTHER_PDF)

    with (
        caplog.at_level(logging.ERROR, logger="portal.storage"),
        pytest.raises(Http404, match=r"^$"),
    ):
        _served(client, document)

    assert f"Stored object {document.key} is missing or does not match" in caplog.text


def test_a_missing_document_is_not_served(rank_list, client, backend, exchange_upload, send_ticket):
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf")
    send_ticket(client, ticket, PDF)
    document = upload.finish(key=ticket.key)
    default_storage.delete(document.key)

    with pytest.raises(Http404, match=r"^$"):
        _served(client, document)


def test_the_download_view_answers_404_for_a_changed_document(
    rank_list, backend, signed_in, exchange_upload
):
    student = signed_in(rank_list.student)
    document = exchange_upload(rank_list).save(file=SimpleUploadedFile("vaccins.pdf", PDF))
    served = student.get(f"/exchanges/documents/{document.pk}/")
    _overwrite(document.key, OTHER_PDF)

    refused = student.get(f"/exchanges/documents/{document.pk}/")

    assert served.status_code == 302
    assert refused.status_code == 404
    assert served["Cache-Control"] == "private, no-store"
    # Only the download that was handed out is in the audit log.
    taken = AuditEntry.objects.filter(action="document.downloaded", object_id=str(document.pk))
    assert taken.count() == 1


# --- Finish repeated, concurrent, or rolled back ----------------------------------------------


def test_a_finish_posted_twice_answers_the_same_success(
    rank_list, client, backend, django_capture_on_commit_callbacks, exchange_upload, send_ticket
):
    ticket = exchange_upload(rank_list).start(content_type="application/pdf")
    send_ticket(client, ticket, PDF)

    def finish():
        request = RequestFactory().post("/finish/", {"key": ticket.key, "name": "a.pdf"})
        request.session = {}
        request._messages = FallbackStorage(request)
        with django_capture_on_commit_callbacks(execute=True):
            return uploads.finish_response(
                request, exchange_upload(rank_list), done="/done/", success="Uploaded."
            )

    first, second = finish(), finish()

    assert (first.status_code, second.status_code) == (200, 200)
    assert json.loads(first.content) == json.loads(second.content) == {"redirect": "/done/"}
    document = StudentDocument.objects.get()
    assert _keys(exchange_upload(rank_list).prefix) == [document.key]


def test_the_same_upload_recorded_twice_at_once_keeps_one_record(
    rank_list, client, backend, exchange_upload, send_ticket
):
    """Two finishes of one key that both passed the first check: the second record returns the
    first's, and the object stays."""
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf")
    send_ticket(client, ticket, PDF)
    first = upload.finish(key=ticket.key)
    again = storage.object_promote(
        storage.StoredObject(
            key=ticket.key, size=first.size, content_type=first.content_type, sha256=first.sha256
        ),
        key=first.key,
    )

    with transaction.atomic():
        second = upload.record(again, name="again.pdf")

    assert second == first == StudentDocument.objects.get()
    assert default_storage.open(first.key).read() == PDF


def test_two_finishes_of_one_kind_leave_one_document_and_no_orphan(
    rank_list, client, backend, django_capture_on_commit_callbacks, exchange_upload, send_ticket
):
    one = exchange_upload(rank_list).start(content_type="application/pdf")
    two = exchange_upload(rank_list).start(content_type="image/png")
    send_ticket(client, one, PDF)
    send_ticket(client, two, PNG, name="scan.png")

    with django_capture_on_commit_callbacks(execute=True):
        exchange_upload(rank_list).finish(key=one.key, name="first.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        kept = exchange_upload(rank_list).finish(key=two.key, name="scan.png")

    assert StudentDocument.objects.get() == kept
    assert _keys(exchange_upload(rank_list).prefix) == [kept.key]


def test_two_letters_at_once_keep_the_first_and_delete_the_other(
    referee, client, backend, send_ticket
):
    first = LetterUpload(referee=referee).start(content_type="application/pdf")
    second = LetterUpload(referee=referee).start(content_type="application/pdf")
    send_ticket(client, first, PDF)
    send_ticket(client, second, OTHER_PDF)
    prefix = LetterUpload(referee=referee).prefix

    kept = LetterUpload(referee=referee).finish(key=first.key)
    with pytest.raises(Refused, match="already been answered") as refusal:
        LetterUpload(referee=referee).finish(key=second.key)

    assert refusal.value.code == "answered"
    assert RefereeRequest.objects.get().letter_key == kept.letter_key
    # The first one-time object goes after the commit, which a test's transaction never reaches.
    assert _keys(prefix) == sorted([kept.letter_key, first.key])
    assert RefereeRequest.objects.get().status == RefereeStatus.RECEIVED


def test_a_rolled_back_finish_leaves_its_copy_to_the_clean_up(
    rank_list, client, backend, exchange_upload, send_ticket
):
    old = exchange_upload(rank_list).save(file=SimpleUploadedFile("old.pdf", PDF))
    ticket = exchange_upload(rank_list).start(content_type="application/pdf")
    send_ticket(client, ticket, OTHER_PDF)

    with pytest.raises(RuntimeError, match="later step failed"), transaction.atomic():
        exchange_upload(rank_list).finish(key=ticket.key, name="new.pdf")
        raise RuntimeError("a later step failed")
    left = _keys(exchange_upload(rank_list).prefix)
    a_day_later = timezone.now() + pending_uploads.LIFETIME

    cleaned = pending_uploads.pending_uploads_delete(now=a_day_later)

    assert storage.final_key(ticket.key) in left
    assert cleaned == {"deleted": 1}
    assert StudentDocument.objects.get() == old
    assert _keys(exchange_upload(rank_list).prefix) == [old.key]
    assert not PendingUpload.objects.exists()


def test_the_clean_up_deletes_what_a_form_posted_again_left(
    rank_list, client, bucket, exchange_upload, send_ticket
):
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf")
    send_ticket(client, ticket, PDF)
    document = upload.finish(key=ticket.key)
    default_storage.delete(ticket.key)  # as the commit does
    send_ticket(client, ticket, OTHER_PDF)

    cleaned = pending_uploads.pending_uploads_delete(now=timezone.now() + timedelta(days=1))

    assert cleaned == {"deleted": 0}  # a finished ticket is not an abandoned upload
    assert _keys(upload.prefix) == [document.key]
    assert _served(client, document) == PDF
