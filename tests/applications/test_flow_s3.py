"""The whole student flow over HTTP with documents and letters in S3 (moto's server)."""

import hashlib
import re

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from applications.enums import ApplicationState, DocumentStatus, RefereeStatus
from applications.models import Application

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_draft_to_submitted_to_withdrawn_with_s3(
    student, call, s3_storage, mailoutbox, django_capture_on_commit_callbacks
):
    # draft
    started = student.post(f"/applications/calls/{call.slug}/apply/")
    application = Application.objects.get()
    assert started["Location"] == f"/applications/{application.pk}/"
    assert application.state == ApplicationState.DRAFT
    student.post(
        f"/applications/{application.pk}/about/",
        {"version": 1, "country": "KE", "institution": "University of Nairobi", "year_of_study": 5},
    )
    motivation, grade, plans, _optional = (q["id"] for q in application.questions)
    student.post(
        f"/applications/{application.pk}/section/1/",
        {"version": 2, f"q{motivation}": "To serve.", f"q{grade}": "14"},
    )
    student.post(f"/applications/{application.pk}/section/2/", {"version": 3, f"q{plans}": "Home"})

    # a document, straight to the bucket
    kind = call.document_kinds.get()
    ticket = student.post(
        f"/applications/{application.pk}/documents/{kind.pk}/ticket/",
        {"size": len(PDF), "content_type": "application/pdf"},
    ).json()
    requests.post(ticket["url"], data=ticket["fields"], files={"file": ("t.pdf", PDF)}, timeout=10)
    student.post(
        ticket["finish"],
        {"key": ticket["key"], "sha256": hashlib.sha256(PDF).hexdigest(), "name": "t.pdf"},
    )
    assert application.documents.get().status == DocumentStatus.VERIFIED

    # a letter, through the referee's link, stored in the bucket
    with django_capture_on_commit_callbacks(execute=True):
        student.post(
            f"/applications/{application.pk}/referees/",
            {"name": "Dr Mensah", "email": "mensah@example.org"},
        )
    token = re.search(r"/applications/referee/(\S+)/", mailoutbox[-1].body).group(1)
    Client().post(f"/applications/referee/{token}/", {"file": SimpleUploadedFile("l.pdf", PDF)})
    referee = application.referees.get()
    assert referee.status == RefereeStatus.RECEIVED
    s3_storage["client"].head_object(Bucket=s3_storage["bucket"], Key=referee.letter_key)

    # submitted
    with django_capture_on_commit_callbacks(execute=True):
        student.post(f"/applications/{application.pk}/submit/", {"declaration": "on"})
    application.refresh_from_db()
    assert application.state == ApplicationState.SUBMITTED
    assert student.get(f"/applications/{application.pk}/application.pdf").status_code == 200

    # withdrawn
    student.post(f"/applications/{application.pk}/withdraw/")
    application.refresh_from_db()
    assert application.state == ApplicationState.WITHDRAWN
    assert Client().get(f"/applications/referee/{token}/").status_code == 410
