"""Documents: straight to storage with verification, or through the portal without JavaScript."""

import hashlib
from datetime import timedelta

import pytest
import requests
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from applications.enums import DocumentStatus
from applications.models import Document
from applications.services.documents import DocumentUpload
from portal import storage

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _kind(application):
    return application.call.document_kinds.get()


def _upload(student, application, content, name="transcript.pdf"):
    kind = _kind(application)
    return student.post(
        f"/applications/{application.pk}/documents/{kind.pk}/upload/",
        {"file": SimpleUploadedFile(name, content, "application/pdf")},
        follow=True,
    )


def test_documents_page_lists_kinds_with_limits(student, application):
    html = student.get(f"/applications/{application.pk}/documents/").content.decode()

    assert "Transcript" in html
    assert "PDF, up to 1 MB." in html
    assert 'accept="application/pdf"' in html


def test_upload_without_javascript_goes_through_the_portal(student, application):
    response = _upload(student, application, PDF)

    document = Document.objects.get()
    assert "Transcript received." in response.content.decode()
    assert document.status == DocumentStatus.VERIFIED
    assert document.original_name == "transcript.pdf"
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert default_storage.exists(document.key)


def test_mistyped_file_is_refused_with_a_message_and_the_draft_untouched(student, application):
    motivation = application.questions[0]["id"]
    student.post(
        f"/applications/{application.pk}/section/1/", {"version": 1, f"q{motivation}": "Kept"}
    )

    response = _upload(student, application, PNG, name="transcript.pdf")

    application.refresh_from_db()
    assert "Transcript: This file is not of an accepted type (PDF)." in response.content.decode()
    assert not Document.objects.exists()
    assert application.answers[str(motivation)] == "Kept"


def test_oversized_file_is_refused_before_it_is_read(student, application):
    response = _upload(student, application, PDF + b"0" * 1_100_000)

    assert "Transcript: The file is larger than 1 MB." in response.content.decode()
    assert not Document.objects.exists()


def test_a_new_upload_replaces_the_previous_document(
    student, application, django_capture_on_commit_callbacks
):
    _upload(student, application, PDF, name="old.pdf")
    old_key = Document.objects.get().key

    with django_capture_on_commit_callbacks(execute=True):
        _upload(student, application, PDF + b"%new", name="new.pdf")

    assert [d.original_name for d in Document.objects.all()] == ["new.pdf"]
    assert not default_storage.exists(old_key)


def test_remove_a_document(student, application, django_capture_on_commit_callbacks):
    _upload(student, application, PDF)
    document = Document.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        student.post(f"/applications/{application.pk}/documents/file/{document.pk}/remove/")

    assert not Document.objects.exists()
    assert not default_storage.exists(document.key)


def test_download_redirects_to_a_short_lived_url(student, application):
    _upload(student, application, PDF)
    document = Document.objects.get()

    response = student.get(f"/applications/{application.pk}/documents/file/{document.pk}/")
    served = student.get(response["Location"])

    assert response.status_code == 302
    assert b"".join(served.streaming_content) == PDF


def test_direct_upload_to_s3_with_verification(student, application, s3_storage):
    kind = _kind(application)
    ticket = student.post(
        f"/applications/{application.pk}/documents/{kind.pk}/ticket/",
        {"size": len(PDF), "content_type": "application/pdf"},
    ).json()

    posted = requests.post(
        ticket["url"],
        data=ticket["fields"],
        files={"file": ("transcript.pdf", PDF, "application/pdf")},
        timeout=10,
    )
    finished = student.post(
        ticket["finish"],
        {"key": ticket["key"], "sha256": hashlib.sha256(PDF).hexdigest(), "name": "t.pdf"},
    )

    assert posted.status_code == 201
    assert finished.json() == {"redirect": f"/applications/{application.pk}/documents/"}
    document = Document.objects.get()
    assert document.status == DocumentStatus.VERIFIED
    assert (document.size, document.original_name) == (len(PDF), "t.pdf")
    download = student.get(f"/applications/{application.pk}/documents/file/{document.pk}/")
    assert requests.get(download["Location"], timeout=10).content == PDF


def test_direct_upload_refuses_a_too_large_file_up_front(student, application, s3_storage):
    kind = _kind(application)

    response = student.post(
        f"/applications/{application.pk}/documents/{kind.pk}/ticket/",
        {"size": 3_400_000, "content_type": "application/pdf", "name": "big.pdf"},
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": "The file is 3.4 MB; the limit is 1 MB.",
        "code": "too_large",
        "details": [],
    }


def test_direct_upload_of_a_mistyped_object_is_deleted(student, application, s3_storage):
    kind = _kind(application)
    ticket = student.post(
        f"/applications/{application.pk}/documents/{kind.pk}/ticket/",
        {"size": len(PNG), "content_type": "application/pdf"},
    ).json()
    requests.post(ticket["url"], data=ticket["fields"], files={"file": ("p.pdf", PNG)}, timeout=10)

    response = student.post(ticket["finish"], {"key": ticket["key"]})

    assert response.status_code == 400
    assert response.json()["error"] == "This file is not of an accepted type (PDF)."
    assert response.json()["code"] == "wrong_type"
    assert not Document.objects.exists()
    with pytest.raises(s3_storage["client"].exceptions.ClientError, match="404"):
        s3_storage["client"].head_object(Bucket=s3_storage["bucket"], Key=ticket["key"])


def test_finish_refuses_a_key_the_portal_did_not_issue(student, application, s3_storage):
    kind = _kind(application)

    response = student.post(
        f"/applications/{application.pk}/documents/{kind.pk}/finish/", {"key": "applications/x"}
    )

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_upload"
    assert not Document.objects.exists()


def test_documents_page_allows_the_bucket_in_its_csp(student, application, s3_storage):
    response = student.get(f"/applications/{application.pk}/documents/")

    assert s3_storage["endpoint"] in response["Content-Security-Policy"]


def test_an_upload_finished_after_the_deadline_is_refused_and_deleted(student, application):
    kind = _kind(application)
    ticket = student.post(
        f"/applications/{application.pk}/documents/{kind.pk}/ticket/",
        {"size": len(PDF), "content_type": "application/pdf"},
    ).json()
    student.post(ticket["url"], {**ticket["fields"], "file": SimpleUploadedFile("t.pdf", PDF)})
    application.call.closes_at = timezone.now() - timedelta(seconds=1)
    application.call.save()

    response = student.post(ticket["finish"], {"key": ticket["key"], "name": "t.pdf"})

    assert response.status_code == 400
    assert response.json()["code"] == "deadline_passed"
    assert not Document.objects.exists()
    assert not default_storage.exists(ticket["key"])


def test_the_document_is_kept_under_a_key_no_form_posts_to(student, application):
    kind = _kind(application)
    ticket = student.post(
        f"/applications/{application.pk}/documents/{kind.pk}/ticket/",
        {"size": len(PDF), "content_type": "application/pdf"},
    ).json()
    student.post(ticket["url"], {**ticket["fields"], "file": SimpleUploadedFile("t.pdf", PDF)})

    student.post(ticket["finish"], {"key": ticket["key"], "name": "t.pdf"})

    document = Document.objects.get()
    assert "/incoming/" in ticket["key"]
    assert document.key == ticket["key"].replace("/incoming/", "/")
    assert default_storage.open(document.key).read() == PDF


def test_a_document_changed_in_storage_is_not_served(student, application):
    _upload(student, application, PDF)
    document = Document.objects.get()
    default_storage.delete(document.key)
    default_storage.save(document.key, ContentFile(PDF + b"%changed"))

    response = student.get(f"/applications/{application.pk}/documents/file/{document.pk}/")

    assert response.status_code == 404


def test_two_finishes_of_one_kind_leave_one_document_and_its_object_only(
    student, application, media, django_capture_on_commit_callbacks
):
    kind = _kind(application)
    tickets = [
        student.post(
            f"/applications/{application.pk}/documents/{kind.pk}/ticket/",
            {"size": len(PDF), "content_type": "application/pdf"},
        ).json()
        for _ in range(2)
    ]
    for n, ticket in enumerate(tickets):
        upload = SimpleUploadedFile("t.pdf", PDF + b"%" * n)
        student.post(ticket["url"], {**ticket["fields"], "file": upload})

    for ticket in tickets:
        with django_capture_on_commit_callbacks(execute=True):
            student.post(ticket["finish"], {"key": ticket["key"], "name": "t.pdf"})

    document = Document.objects.get()
    assert document.key == tickets[1]["key"].replace("/incoming/", "/")
    folder = document.key.rsplit("/", 1)[0]
    assert default_storage.listdir(folder)[1] == [document.key.rsplit("/", 1)[1]]
    assert default_storage.listdir(f"{folder}/incoming") == ([], [])


def test_the_same_upload_recorded_twice_at_once_keeps_one_document(student, application):
    _upload(student, application, PDF)
    document = Document.objects.get()
    upload = DocumentUpload(application=application, kind=_kind(application))
    again = storage.StoredObject(
        key=document.key, size=document.size, content_type=document.content_type, sha256=""
    )

    with transaction.atomic():
        recorded = upload.record(again, name="again.pdf")

    assert recorded == document == Document.objects.get()
    assert default_storage.exists(document.key)
