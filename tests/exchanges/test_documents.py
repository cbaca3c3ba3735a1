"""A student's documents: through the portal without JavaScript, straight to storage with it
(local stand-in and S3 on moto), verified before they count, downloaded after a permission
check as a short-lived URL."""

import hashlib

import pytest
import requests
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from exchanges.models import StudentDocument
from tests.factories.applications import PDF
from tests.factories.exchanges import (
    PNG,
    CoordinatorFactory,
    CycleFactory,
    CycleRotationFactory,
    RankListFactory,
    move_to,
    ranked,
)

pytestmark = pytest.mark.django_db

KIND = "immunisation_record"


@pytest.fixture
def student_list():
    cycle = CycleFactory()
    rotation = CycleRotationFactory(cycle=cycle)
    return ranked(RankListFactory(cycle=cycle), [rotation], submitted=False)


def _url(name, rank_list, kind=KIND):
    return reverse(f"exchanges:{name}", args=[rank_list.cycle_id, kind])


def test_upload_through_the_portal_without_javascript(student_list, signed_in):
    client = signed_in(student_list.student)

    response = client.post(
        _url("document_upload", student_list),
        {"file": SimpleUploadedFile("vaccins.pdf", PDF, "application/pdf")},
        follow=True,
    )

    document = StudentDocument.objects.get()
    assert (
        response.redirect_chain[-1][0]
        == f"/exchanges/cycles/{student_list.cycle_id}/my-list/#documents"
    )
    assert "Immunisation record uploaded." in response.content.decode()
    assert (document.kind, document.original_name, document.size, document.sha256) == (
        KIND,
        "vaccins.pdf",
        len(PDF),
        hashlib.sha256(PDF).hexdigest(),
    )
    assert document.key.startswith(f"exchanges/{student_list.cycle_id}/{student_list.pk}/{KIND}/")


@pytest.mark.parametrize(
    ("upload", "kind", "message"),  # upload: made in the test, a file is read once
    [
        (
            lambda: SimpleUploadedFile("photo.pdf", b"GIF89a" + b"\x00" * 64, "application/pdf"),
            KIND,
            "This file is not of an accepted type (JPEG, PDF, PNG).",
        ),
        (
            lambda: SimpleUploadedFile("big.pdf", PDF + b"0" * 10_100_000),
            KIND,
            "The file is larger than 10 MB.",
        ),
        (
            lambda: SimpleUploadedFile("p.pdf", PDF),
            "passport",
            "None of the rotations on your list asks for this document.",
        ),
    ],
    ids=["wrong-type", "oversized", "kind-not-asked-for"],
)
def test_a_refused_upload_is_not_kept(student_list, signed_in, upload, kind, message):
    client = signed_in(student_list.student)

    response = client.post(
        _url("document_upload", student_list, kind=kind), {"file": upload()}, follow=True
    )

    assert message in response.content.decode()
    assert not StudentDocument.objects.exists()


def test_upload_of_a_kind_that_does_not_exist_is_404(student_list, signed_in):
    client = signed_in(student_list.student)

    assert client.post(_url("document_upload", student_list, kind="nonsense")).status_code == 404


def test_upload_after_the_deadline_is_refused(student_list, signed_in):
    move_to(student_list.cycle, "schools_ranking")

    response = signed_in(student_list.student).post(
        _url("document_upload", student_list),
        {"file": SimpleUploadedFile("a.pdf", PDF)},
        follow=True,
    )

    assert "documents can no longer change" in response.content.decode()


def test_a_new_upload_replaces_the_old_one(
    student_list, django_capture_on_commit_callbacks, signed_in
):
    client = signed_in(student_list.student)
    client.post(_url("document_upload", student_list), {"file": SimpleUploadedFile("old.pdf", PDF)})
    old_key = StudentDocument.objects.get().key

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            _url("document_upload", student_list), {"file": SimpleUploadedFile("new.png", PNG)}
        )

    document = StudentDocument.objects.get()
    assert (document.original_name, document.content_type) == ("new.png", "image/png")
    assert not default_storage.exists(old_key)


def test_presigned_upload_on_the_local_stand_in(student_list, signed_in):
    client = signed_in(student_list.student)

    ticket = client.post(
        _url("document_ticket", student_list), {"content_type": "application/pdf"}
    ).json()
    stored = client.post(
        ticket["url"], {**ticket["fields"], "file": SimpleUploadedFile("a.pdf", PDF)}
    )
    done = client.post(
        _url("document_verify", student_list), {"key": ticket["key"], "name": "a.pdf"}
    )

    assert set(ticket) == {"url", "fields", "key", "finish"}
    assert ticket["finish"] == _url("document_verify", student_list)
    assert stored.status_code == 201
    assert done.json() == {
        "redirect": f"/exchanges/cycles/{student_list.cycle_id}/my-list/#documents"
    }
    assert StudentDocument.objects.get().key == ticket["key"].replace("/incoming/", "/")


def test_ticket_refuses_a_type_that_is_not_accepted(student_list, signed_in):
    response = signed_in(student_list.student).post(
        _url("document_ticket", student_list), {"content_type": "image/heic"}
    )

    assert (response.status_code, response.json()) == (
        400,
        {
            "error": "This file is not of an accepted type (JPEG, PDF, PNG).",
            "code": "wrong_type",
            "details": [],
        },
    )


def test_verify_refuses_a_key_of_another_list(student_list, signed_in):
    other = ranked(RankListFactory(cycle=student_list.cycle), [student_list.entries.get().rotation])
    client = signed_in(student_list.student)
    foreign_key = f"exchanges/{other.cycle_id}/{other.pk}/{KIND}/abc"

    response = client.post(_url("document_verify", student_list), {"key": foreign_key, "name": "x"})

    assert response.status_code == 400
    assert response.json()["code"] == "unknown_upload"
    assert (
        response.json()["error"]
        == "This upload does not belong to this document. Please try again."
    )


def test_s3_presigned_upload_verify_and_download(student_list, s3_storage, signed_in):
    coordinator = CoordinatorFactory(institution=student_list.entries.get().rotation.institution)
    student_list.submitted_at = student_list.created_at
    student_list.save()
    client = signed_in(student_list.student)

    ticket = client.post(
        _url("document_ticket", student_list), {"content_type": "application/pdf"}
    ).json()
    sent = requests.post(
        ticket["url"],
        data=ticket["fields"],
        files={"file": ("vaccins.pdf", PDF, "application/pdf")},
        timeout=10,
    )
    client.post(
        _url("document_verify", student_list), {"key": ticket["key"], "name": "vaccins.pdf"}
    )
    document = StudentDocument.objects.get()
    redirect = signed_in(coordinator.user).get(
        reverse("exchanges:document_download", args=[document.pk])
    )
    fetched = requests.get(redirect["Location"], timeout=10)

    assert sent.status_code == 201
    assert ticket["url"].startswith(s3_storage["endpoint"])
    assert redirect.status_code == 302
    assert redirect["Cache-Control"] == "private, no-store"
    assert "X-Amz-Expires=300" in redirect["Location"]
    assert fetched.content == PDF
    assert fetched.headers["Content-Disposition"] == 'attachment; filename="vaccins.pdf"'


def test_s3_upload_through_the_portal_without_javascript(student_list, s3_storage, signed_in):
    client = signed_in(student_list.student)

    client.post(_url("document_upload", student_list), {"file": SimpleUploadedFile("cv.pdf", PDF)})

    document = StudentDocument.objects.get()
    head = s3_storage["client"].head_object(Bucket=s3_storage["bucket"], Key=document.key)
    assert head["ContentLength"] == len(PDF)


def test_s3_rank_list_page_allows_the_bucket_in_its_csp(student_list, s3_storage, signed_in):
    response = signed_in(student_list.student).get(
        reverse("exchanges:rank_list", args=[student_list.cycle_id])
    )

    assert s3_storage["endpoint"] in response["Content-Security-Policy"]
