"""The one upload protocol (portal.uploads), on local disk and on S3 over HTTP (moto's server):
tickets whose policy fixes a one-time key, type and size; verification before anything counts; a new
document replacing the old one only once the database commits; the path without JavaScript.

The document kinds are the programmes' own (an exchange student's document, a referee's letter),
so that what is tested is what runs. One-time keys, checksums when served, repeated and failed
finishes, and the tickets and their clean-up: test_immutable.py."""

import base64
import hashlib
import json
from datetime import timedelta

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import RequestFactory

from applications.enums import RefereeStatus
from applications.models import RefereeRequest
from applications.services.referees import LetterUpload
from exchanges.enums import DOCUMENT_MAX_SIZE
from exchanges.models import StudentDocument
from exchanges.services.documents import DocumentUpload
from portal import storage, uploads
from portal.errors import Refused
from tests.factories.applications import PDF
from tests.factories.exchanges import (
    PNG,
    RankListFactory,
)

pytestmark = pytest.mark.django_db

KIND = "immunisation_record"
GIF = b"GIF89a" + b"\x00" * 64


def _put(key: str, content: bytes) -> None:
    """Store an object directly, as a browser could that ignored the policy (moto does not
    enforce POST policies; the local stand-in does, so it is bypassed the same way)."""
    default_storage.save(key, ContentFile(content))


# --- Tickets ----------------------------------------------------------------------------------


def test_s3_ticket_policy_fixes_key_type_and_size(rank_list, s3_storage, exchange_upload):
    ticket = exchange_upload(rank_list).start(content_type="application/pdf", size=len(PDF))

    policy = json.loads(base64.b64decode(ticket.fields["policy"]))

    assert ticket.key.startswith(f"exchanges/{rank_list.cycle_id}/{rank_list.pk}/{KIND}/")
    assert {"key": ticket.key} in policy["conditions"]
    assert {"bucket": s3_storage["bucket"]} in policy["conditions"]
    assert ["eq", "$Content-Type", "application/pdf"] in policy["conditions"]
    assert ["content-length-range", 1, DOCUMENT_MAX_SIZE] in policy["conditions"]
    assert "expiration" in policy


def test_local_ticket_policy_fixes_key_type_and_size(rank_list, media, exchange_upload):
    ticket = exchange_upload(rank_list).start(content_type="image/png")

    assert storage.local_upload_policy(ticket.fields["policy"]) == {
        "key": ticket.key,
        "content_type": "image/png",
        "max_size": DOCUMENT_MAX_SIZE,
    }


def test_ticket_refuses_what_the_browser_declares_out_of_bounds(rank_list, media, exchange_upload):
    upload = exchange_upload(rank_list)

    with pytest.raises(Refused, match=r"not of an accepted type \(JPEG, PDF, PNG\)") as wrong:
        upload.start(content_type="image/heic")
    with pytest.raises(Refused, match=r"^The file is 12 MB; the limit is 10 MB\.$") as big:
        upload.start(content_type="application/pdf", size=12_000_000)

    assert (wrong.value.code, big.value.code) == ("wrong_type", "too_large")


def test_ticket_refuses_who_may_not_upload_now(rank_list, media, exchange_upload):
    late = rank_list.cycle.students_close_at + timedelta(seconds=1)

    with pytest.raises(Refused, match="documents can no longer change") as refusal:
        exchange_upload(rank_list, now=late).start(content_type="application/pdf")
    with pytest.raises(Refused, match="None of the rotations") as not_asked:
        DocumentUpload(rank_list=rank_list, kind="passport").start(content_type="application/pdf")

    assert (refusal.value.code, not_asked.value.code) == ("deadline_passed", "not_asked")


# --- Finish: verified before it counts ----------------------------------------------------------


def test_a_verified_upload_is_recorded(rank_list, client, backend, exchange_upload, send_ticket):
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf", size=len(PDF))

    sent = send_ticket(client, ticket, PDF)
    document = upload.finish(
        key=ticket.key, sha256=hashlib.sha256(PDF).hexdigest(), name="vaccins.pdf"
    )

    assert sent == 201
    assert document == StudentDocument.objects.get()
    assert (document.key, document.original_name, document.size, document.content_type) == (
        storage.final_key(ticket.key),
        "vaccins.pdf",
        len(PDF),
        "application/pdf",
    )
    assert document.key != ticket.key
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert default_storage.exists(document.key)


def test_an_object_over_the_limit_is_refused_and_deleted(referee, backend):
    upload = LetterUpload(referee=referee)
    ticket = upload.start(content_type="application/pdf")
    _put(ticket.key, PDF + b"0" * upload.max_size)

    with pytest.raises(Refused, match=r"^The file is 10 MB; the limit is 10 MB\.$") as refusal:
        upload.finish(key=ticket.key)

    assert refusal.value.code == "too_large"
    assert not default_storage.exists(ticket.key)
    assert RefereeRequest.objects.get().status == RefereeStatus.INVITED


def test_a_file_of_the_wrong_type_by_its_magic_bytes_is_refused_and_deleted(
    rank_list, client, backend, exchange_upload, send_ticket
):
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf")
    send_ticket(client, ticket, GIF, name="renamed.pdf")

    with pytest.raises(Refused, match=r"not of an accepted type \(JPEG, PDF, PNG\)") as refusal:
        upload.finish(key=ticket.key, name="renamed.pdf")

    assert refusal.value.code == "wrong_type"
    assert not default_storage.exists(ticket.key)
    assert not StudentDocument.objects.exists()


def test_a_checksum_mismatch_is_refused_and_deleted(
    rank_list, client, backend, exchange_upload, send_ticket
):
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf")
    send_ticket(client, ticket, PDF)

    with pytest.raises(Refused, match="The file changed on the way") as refusal:
        upload.finish(key=ticket.key, sha256=hashlib.sha256(b"another file").hexdigest())

    assert refusal.value.code == "checksum"
    assert not default_storage.exists(ticket.key)
    assert not StudentDocument.objects.exists()


def test_a_missing_object_is_refused(rank_list, backend, exchange_upload):
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf")

    with pytest.raises(Refused, match="The upload did not arrive") as refusal:
        upload.finish(key=ticket.key)

    assert refusal.value.code == "missing"


def test_a_key_not_issued_for_this_document_is_refused(rank_list, media, exchange_upload):
    other = RankListFactory(cycle=rank_list.cycle)
    key = storage.new_key(f"exchanges/{other.cycle_id}/{other.pk}/{KIND}")
    _put(key, PDF)

    with pytest.raises(Refused, match="does not belong to this document") as refusal:
        exchange_upload(rank_list).finish(key=key)

    assert refusal.value.code == "unknown_upload"
    assert default_storage.exists(key)  # not this person's object to delete


def test_an_upload_finished_after_the_deadline_is_refused_and_deleted(
    rank_list, client, media, exchange_upload, send_ticket
):
    ticket = exchange_upload(rank_list).start(content_type="application/pdf")
    send_ticket(client, ticket, PDF)
    late = rank_list.cycle.students_close_at + timedelta(seconds=1)

    with pytest.raises(Refused, match="documents can no longer change") as refusal:
        exchange_upload(rank_list, now=late).finish(key=ticket.key)

    assert refusal.value.code == "deadline_passed"
    assert not default_storage.exists(ticket.key)
    assert not StudentDocument.objects.exists()


def test_a_finish_sent_twice_counts_once(rank_list, client, media, exchange_upload, send_ticket):
    upload = exchange_upload(rank_list)
    ticket = upload.start(content_type="application/pdf")
    send_ticket(client, ticket, PDF)

    first = upload.finish(key=ticket.key, name="a.pdf")
    second = upload.finish(key=ticket.key, name="a.pdf")

    assert first == second == StudentDocument.objects.get()
    assert default_storage.exists(first.key)


# --- Finish: recorded atomically; objects deleted only after the commit ------------------------


def test_a_rolled_back_finish_leaves_no_stored_object(referee, client, backend, send_ticket):
    upload = LetterUpload(referee=referee)
    ticket = upload.start(content_type="application/pdf")
    send_ticket(client, ticket, PDF)
    # Another tab sent a letter between this page's check and its finish.
    RefereeRequest.objects.filter(pk=referee.pk).update(
        status=RefereeStatus.RECEIVED, letter_key="letters/first"
    )

    with pytest.raises(Refused, match="already been answered") as refusal:
        upload.finish(key=ticket.key)

    assert refusal.value.code == "answered"
    assert not default_storage.exists(ticket.key)
    assert RefereeRequest.objects.get().letter_key == "letters/first"


def test_a_replaced_document_is_deleted_after_the_commit(
    rank_list, client, backend, django_capture_on_commit_callbacks, exchange_upload, send_ticket
):
    first = exchange_upload(rank_list).start(content_type="application/pdf")
    send_ticket(client, first, PDF)
    old = exchange_upload(rank_list).finish(key=first.key, name="old.pdf")
    second = exchange_upload(rank_list).start(content_type="image/png")
    send_ticket(client, second, PNG, name="new.png")

    with django_capture_on_commit_callbacks() as callbacks:
        new = exchange_upload(rank_list).finish(key=second.key, name="new.png")
        assert default_storage.exists(old.key)  # not before the commit
        assert default_storage.exists(second.key)
    for callback in callbacks:
        callback()

    assert StudentDocument.objects.get().original_name == "new.png"
    assert not default_storage.exists(old.key)
    assert default_storage.exists(new.key)
    assert not default_storage.exists(second.key)  # the one-time object, once copied


def test_a_rolled_back_replacement_keeps_the_previous_document(
    rank_list, client, media, exchange_upload, send_ticket
):
    first = exchange_upload(rank_list).start(content_type="application/pdf")
    send_ticket(client, first, PDF)
    old = exchange_upload(rank_list).finish(key=first.key, name="old.pdf")
    second = exchange_upload(rank_list).start(content_type="application/pdf")
    send_ticket(client, second, PDF + b"%new")

    with pytest.raises(RuntimeError, match="later step failed"), transaction.atomic():
        exchange_upload(rank_list).finish(key=second.key, name="new.pdf")
        raise RuntimeError("a later step failed")

    assert StudentDocument.objects.get().original_name == "old.pdf"
    assert default_storage.exists(old.key)


# --- Without JavaScript: through the portal, under the same checks -----------------------------


def test_save_through_the_portal_is_verified_and_recorded(rank_list, backend, exchange_upload):
    document = exchange_upload(rank_list).save(file=SimpleUploadedFile("cv.pdf", PDF))

    assert (document.original_name, document.size) == ("cv.pdf", len(PDF))
    assert document.key.startswith(f"exchanges/{rank_list.cycle_id}/{rank_list.pk}/{KIND}/")
    assert default_storage.exists(document.key)


def test_save_of_the_wrong_type_keeps_nothing(referee, media):
    with pytest.raises(Refused, match=r"not of an accepted type \(PDF\)") as refusal:
        LetterUpload(referee=referee).save(file=SimpleUploadedFile("letter.pdf", PNG))

    assert refusal.value.code == "wrong_type"
    folder = f"letters/{referee.application.call_id}/{referee.pk}"
    assert default_storage.listdir(folder) == (["incoming"], [])
    assert default_storage.listdir(f"{folder}/incoming") == ([], [])


def test_an_oversized_request_is_refused_before_it_is_read(rank_list, media, exchange_upload):
    request = RequestFactory().post(
        "/upload/",
        {"file": SimpleUploadedFile("big.pdf", PDF)},
        CONTENT_LENGTH=str(DOCUMENT_MAX_SIZE + uploads.MULTIPART_OVERHEAD + 1),
    )
    request.session = {}
    request._messages = FallbackStorage(request)

    response = uploads.direct_response(
        request, exchange_upload(rank_list), done="/back/", success="Received."
    )

    assert (response.status_code, response["Location"]) == (302, "/back/")
    assert [str(m) for m in request._messages] == ["The file is larger than 10 MB."]
    assert not hasattr(request, "_files")  # the body was never parsed
    assert not StudentDocument.objects.exists()
