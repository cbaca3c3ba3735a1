"""The one upload protocol (portal.uploads), on local disk and on S3 over HTTP (moto's server):
tickets whose policy fixes key, type and size; verification before anything counts; a new
document replacing the old one only once the database commits; the path without JavaScript.

The document kinds are the programmes' own (an exchange student's document, a referee's letter),
so that what is tested is what runs."""

import base64
import hashlib
import json
from datetime import timedelta

import pytest
import requests
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from applications.enums import RefereeStatus
from applications.models import RefereeRequest
from applications.services.applications import application_start
from applications.services.referees import LetterUpload
from exchanges.enums import DOCUMENT_MAX_SIZE
from exchanges.models import StudentDocument
from exchanges.services.documents import DocumentUpload
from portal import jobs, pending_uploads, storage, uploads
from portal.errors import Refused
from portal.models import PendingUpload
from tests.factories.accounts import UserFactory
from tests.factories.applications import PDF, full_call
from tests.factories.exchanges import (
    PNG,
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    ranked,
)

pytestmark = pytest.mark.django_db

KIND = "immunisation_record"
GIF = b"GIF89a" + b"\x00" * 64


@pytest.fixture(params=["local", "s3"])
def backend(request):
    """Each test once on the local disk (its own media folder) and once on S3."""
    if request.param == "s3":
        return request.getfixturevalue("s3_storage")
    request.getfixturevalue("media")
    return None


@pytest.fixture
def rank_list():
    cycle = CycleFactory()
    return ranked(
        RankListFactory(cycle=cycle), [CycleRotationFactory(cycle=cycle)], submitted=False
    )


@pytest.fixture
def referee():
    application = application_start(call=full_call(), applicant=UserFactory())
    return RefereeRequest.objects.create(
        application=application, name="Dr Mensah", email="mensah@example.org", token_hash="0" * 64
    )


def _document(rank_list, **kwargs) -> DocumentUpload:
    return DocumentUpload(rank_list=rank_list, kind=KIND, **kwargs)


def _send(client, ticket, content: bytes, name: str = "file.pdf") -> int:
    """What the browser does with a ticket: post the fields and the file to its URL."""
    if ticket.url.startswith("http"):
        return requests.post(
            ticket.url,
            data=ticket.fields,
            files={"file": (name, content, ticket.content_type)},
            timeout=10,
        ).status_code
    file = SimpleUploadedFile(name, content, ticket.content_type)
    return client.post(ticket.url, {**ticket.fields, "file": file}).status_code


def _put(key: str, content: bytes) -> None:
    """Store an object directly, as a browser could that ignored the policy (moto does not
    enforce POST policies; the local stand-in does, so it is bypassed the same way)."""
    default_storage.save(key, ContentFile(content))


# --- Tickets ----------------------------------------------------------------------------------


def test_s3_ticket_policy_fixes_key_type_and_size(rank_list, s3_storage):
    ticket = _document(rank_list).start(content_type="application/pdf", size=len(PDF))

    policy = json.loads(base64.b64decode(ticket.fields["policy"]))

    assert ticket.key.startswith(f"exchanges/{rank_list.cycle_id}/{rank_list.pk}/{KIND}/")
    assert {"key": ticket.key} in policy["conditions"]
    assert {"bucket": s3_storage["bucket"]} in policy["conditions"]
    assert ["eq", "$Content-Type", "application/pdf"] in policy["conditions"]
    assert ["content-length-range", 1, DOCUMENT_MAX_SIZE] in policy["conditions"]
    assert "expiration" in policy


def test_local_ticket_policy_fixes_key_type_and_size(rank_list, media):
    ticket = _document(rank_list).start(content_type="image/png")

    assert storage.local_upload_policy(ticket.fields["policy"]) == {
        "key": ticket.key,
        "content_type": "image/png",
        "max_size": DOCUMENT_MAX_SIZE,
    }


def test_ticket_refuses_what_the_browser_declares_out_of_bounds(rank_list, media):
    upload = _document(rank_list)

    with pytest.raises(Refused, match=r"not of an accepted type \(JPEG, PDF, PNG\)") as wrong:
        upload.start(content_type="image/heic")
    with pytest.raises(Refused, match=r"^The file is 12 MB; the limit is 10 MB\.$") as big:
        upload.start(content_type="application/pdf", size=12_000_000)

    assert (wrong.value.code, big.value.code) == ("wrong_type", "too_large")


def test_ticket_refuses_who_may_not_upload_now(rank_list, media):
    late = rank_list.cycle.students_close_at + timedelta(seconds=1)

    with pytest.raises(Refused, match="documents can no longer change") as refusal:
        _document(rank_list, now=late).start(content_type="application/pdf")
    with pytest.raises(Refused, match="None of the rotations") as not_asked:
        DocumentUpload(rank_list=rank_list, kind="passport").start(content_type="application/pdf")

    assert (refusal.value.code, not_asked.value.code) == ("deadline_passed", "not_asked")


# --- Finish: verified before it counts ----------------------------------------------------------


def test_a_verified_upload_is_recorded(rank_list, client, backend):
    upload = _document(rank_list)
    ticket = upload.start(content_type="application/pdf", size=len(PDF))

    sent = _send(client, ticket, PDF)
    document = upload.finish(
        key=ticket.key, sha256=hashlib.sha256(PDF).hexdigest(), name="vaccins.pdf"
    )

    assert sent == 201
    assert document == StudentDocument.objects.get()
    assert (document.key, document.original_name, document.size, document.content_type) == (
        ticket.key,
        "vaccins.pdf",
        len(PDF),
        "application/pdf",
    )
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert default_storage.exists(ticket.key)


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
    rank_list, client, backend
):
    upload = _document(rank_list)
    ticket = upload.start(content_type="application/pdf")
    _send(client, ticket, GIF, name="renamed.pdf")

    with pytest.raises(Refused, match=r"not of an accepted type \(JPEG, PDF, PNG\)") as refusal:
        upload.finish(key=ticket.key, name="renamed.pdf")

    assert refusal.value.code == "wrong_type"
    assert not default_storage.exists(ticket.key)
    assert not StudentDocument.objects.exists()


def test_a_checksum_mismatch_is_refused_and_deleted(rank_list, client, backend):
    upload = _document(rank_list)
    ticket = upload.start(content_type="application/pdf")
    _send(client, ticket, PDF)

    with pytest.raises(Refused, match="The file changed on the way") as refusal:
        upload.finish(key=ticket.key, sha256=hashlib.sha256(b"another file").hexdigest())

    assert refusal.value.code == "checksum"
    assert not default_storage.exists(ticket.key)
    assert not StudentDocument.objects.exists()


def test_a_missing_object_is_refused(rank_list, backend):
    upload = _document(rank_list)
    ticket = upload.start(content_type="application/pdf")

    with pytest.raises(Refused, match="The upload did not arrive") as refusal:
        upload.finish(key=ticket.key)

    assert refusal.value.code == "missing"


def test_a_key_not_issued_for_this_document_is_refused(rank_list, media):
    other = RankListFactory(cycle=rank_list.cycle)
    key = storage.new_key(f"exchanges/{other.cycle_id}/{other.pk}/{KIND}")
    _put(key, PDF)

    with pytest.raises(Refused, match="does not belong to this document") as refusal:
        _document(rank_list).finish(key=key)

    assert refusal.value.code == "unknown_upload"
    assert default_storage.exists(key)  # not this person's object to delete


def test_an_upload_finished_after_the_deadline_is_refused_and_deleted(rank_list, client, media):
    ticket = _document(rank_list).start(content_type="application/pdf")
    _send(client, ticket, PDF)
    late = rank_list.cycle.students_close_at + timedelta(seconds=1)

    with pytest.raises(Refused, match="documents can no longer change") as refusal:
        _document(rank_list, now=late).finish(key=ticket.key)

    assert refusal.value.code == "deadline_passed"
    assert not default_storage.exists(ticket.key)
    assert not StudentDocument.objects.exists()


def test_a_finish_sent_twice_counts_once(rank_list, client, media):
    upload = _document(rank_list)
    ticket = upload.start(content_type="application/pdf")
    _send(client, ticket, PDF)

    first = upload.finish(key=ticket.key, name="a.pdf")
    second = upload.finish(key=ticket.key, name="a.pdf")

    assert first == second == StudentDocument.objects.get()
    assert default_storage.exists(ticket.key)


# --- Finish: recorded atomically; objects deleted only after the commit ------------------------


def test_a_rolled_back_finish_leaves_no_stored_object(referee, client, backend):
    upload = LetterUpload(referee=referee)
    ticket = upload.start(content_type="application/pdf")
    _send(client, ticket, PDF)
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
    rank_list, client, backend, django_capture_on_commit_callbacks
):
    first = _document(rank_list).start(content_type="application/pdf")
    _send(client, first, PDF)
    _document(rank_list).finish(key=first.key, name="old.pdf")
    second = _document(rank_list).start(content_type="image/png")
    _send(client, second, PNG, name="new.png")

    with django_capture_on_commit_callbacks() as callbacks:
        _document(rank_list).finish(key=second.key, name="new.png")
        assert default_storage.exists(first.key)  # not before the commit
    for callback in callbacks:
        callback()

    assert StudentDocument.objects.get().original_name == "new.png"
    assert not default_storage.exists(first.key)
    assert default_storage.exists(second.key)


def test_a_rolled_back_replacement_keeps_the_previous_document(rank_list, client, media):
    first = _document(rank_list).start(content_type="application/pdf")
    _send(client, first, PDF)
    _document(rank_list).finish(key=first.key, name="old.pdf")
    second = _document(rank_list).start(content_type="application/pdf")
    _send(client, second, PDF + b"%new")

    with pytest.raises(RuntimeError, match="later step failed"), transaction.atomic():
        _document(rank_list).finish(key=second.key, name="new.pdf")
        raise RuntimeError("a later step failed")

    assert StudentDocument.objects.get().original_name == "old.pdf"
    assert default_storage.exists(first.key)


# --- Without JavaScript: through the portal, under the same checks -----------------------------


def test_save_through_the_portal_is_verified_and_recorded(rank_list, backend):
    document = _document(rank_list).save(file=SimpleUploadedFile("cv.pdf", PDF))

    assert (document.original_name, document.size) == ("cv.pdf", len(PDF))
    assert document.key.startswith(f"exchanges/{rank_list.cycle_id}/{rank_list.pk}/{KIND}/")
    assert default_storage.exists(document.key)


def test_save_of_the_wrong_type_keeps_nothing(referee, media):
    with pytest.raises(Refused, match=r"not of an accepted type \(PDF\)") as refusal:
        LetterUpload(referee=referee).save(file=SimpleUploadedFile("letter.pdf", PNG))

    assert refusal.value.code == "wrong_type"
    folder = f"letters/{referee.application.call_id}/{referee.pk}"
    assert default_storage.listdir(folder) == ([], [])


def test_an_oversized_request_is_refused_before_it_is_read(rank_list, media):
    request = RequestFactory().post(
        "/upload/",
        {"file": SimpleUploadedFile("big.pdf", PDF)},
        CONTENT_LENGTH=str(DOCUMENT_MAX_SIZE + uploads.MULTIPART_OVERHEAD + 1),
    )
    request.session = {}
    request._messages = FallbackStorage(request)

    response = uploads.direct_response(
        request, _document(rank_list), done="/back/", success="Received."
    )

    assert (response.status_code, response["Location"]) == (302, "/back/")
    assert [str(m) for m in request._messages] == ["The file is larger than 10 MB."]
    assert not hasattr(request, "_files")  # the body was never parsed
    assert not StudentDocument.objects.exists()


# --- Tickets never confirmed: recorded, limited, cleaned up after a day ------------------------


def test_a_ticket_is_recorded_until_its_upload_is_finished(rank_list, client, media):
    upload = _document(rank_list)
    ticket = upload.start(content_type="application/pdf")
    pending = PendingUpload.objects.get()
    _send(client, ticket, PDF)

    upload.finish(key=ticket.key)

    assert (pending.key, pending.prefix, pending.owner) == (ticket.key, upload.prefix, None)
    assert not PendingUpload.objects.exists()


def test_a_refused_upload_forgets_its_ticket_but_a_missing_one_keeps_it(rank_list, client, media):
    wrong = _document(rank_list).start(content_type="application/pdf")
    _send(client, wrong, GIF)
    missing = _document(rank_list).start(content_type="application/pdf")

    with pytest.raises(Refused, match="not of an accepted type") as refused:
        _document(rank_list).finish(key=wrong.key)
    with pytest.raises(Refused, match="did not arrive") as not_arrived:
        _document(rank_list).finish(key=missing.key)

    assert (refused.value.code, not_arrived.value.code) == ("wrong_type", "missing")
    assert list(PendingUpload.objects.values_list("key", flat=True)) == [missing.key]


def test_a_sixth_unfinished_ticket_in_a_day_is_refused(referee, media):
    upload = LetterUpload(referee=referee)
    for _ in range(pending_uploads.MAX_PENDING):
        upload.start(content_type="application/pdf")

    with pytest.raises(Refused, match="Too many uploads were started") as refusal:
        upload.start(content_type="application/pdf")
    PendingUpload.objects.update(created_at=timezone.now() - timedelta(days=1, seconds=1))
    a_day_later = upload.start(content_type="application/pdf")

    assert (refusal.value.code, refusal.value.status) == ("too_many_pending", 429)
    assert a_day_later.key


def test_the_limit_counts_per_person_across_documents(rank_list, media):
    person, other = UserFactory(), UserFactory()
    for n, kind in enumerate(("immunisation_record", "passport", "cv", "cv", "cv")):
        PendingUpload.objects.create(key=f"k/{kind}/{n}", prefix=f"p/{kind}", owner=person)

    with pytest.raises(Refused, match="Too many uploads") as refusal:
        _document(rank_list).start(content_type="application/pdf", owner=person)
    by_other = _document(rank_list).start(content_type="application/pdf", owner=other)

    assert refusal.value.code == "too_many_pending"
    assert PendingUpload.objects.get(key=by_other.key).owner == other


def test_the_ticket_endpoint_records_the_person_and_answers_429_past_the_limit(rank_list, media):
    person = UserFactory()

    def ask():
        request = RequestFactory().post("/ticket/", {"content_type": "application/pdf"})
        request.user = person
        return uploads.ticket_response(request, _document(rank_list), finish="/finish/")

    answers = [ask() for _ in range(pending_uploads.MAX_PENDING + 1)]

    assert [a.status_code for a in answers] == [200] * pending_uploads.MAX_PENDING + [429]
    assert json.loads(answers[-1].content)["code"] == "too_many_pending"
    assert set(PendingUpload.objects.values_list("owner", flat=True)) == {person.pk}


def test_the_job_deletes_tickets_unconfirmed_for_a_day_and_their_objects(
    rank_list, client, backend
):
    abandoned = _document(rank_list).start(content_type="application/pdf")
    _send(client, abandoned, PDF)
    never_sent = _document(rank_list).start(content_type="application/pdf")
    finished = _document(rank_list).start(content_type="application/pdf")
    _send(client, finished, PDF)
    _document(rank_list).finish(key=finished.key)
    recent = _document(rank_list).start(content_type="application/pdf")
    PendingUpload.objects.exclude(key=recent.key).update(
        created_at=timezone.now() - timedelta(days=1)
    )

    first = pending_uploads.pending_uploads_delete(now=timezone.now())
    again = pending_uploads.pending_uploads_delete(now=timezone.now())

    assert (first, again) == ({"deleted": 2}, {"deleted": 0})
    assert not default_storage.exists(abandoned.key)
    assert never_sent.key not in PendingUpload.objects.values_list("key", flat=True)
    assert default_storage.exists(finished.key)
    assert StudentDocument.objects.get().key == finished.key
    assert list(PendingUpload.objects.values_list("key", flat=True)) == [recent.key]


def test_the_clean_up_is_an_hourly_job():
    job = jobs.job_get("portal.pending_uploads")

    assert job.cron == "30 * * * *"
    assert job.run(now=timezone.now()) == {"deleted": 0}
