"""Fixtures of the upload tests (tests/portal/test_uploads.py, test_immutable.py,
test_pending_uploads.py): the two storages, the programmes' own document kinds, and what a
browser does with a ticket."""

import pytest
import requests
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import RefereeRequest
from applications.services.applications import application_start
from exchanges.services.documents import DocumentUpload
from tests.factories.accounts import UserFactory
from tests.factories.applications import full_call
from tests.factories.exchanges import CycleFactory, CycleRotationFactory, RankListFactory, ranked

KIND = "immunisation_record"


@pytest.fixture
def bucket(s3_storage):
    """S3, emptied first: the server lives for the session, and keys repeat from test to test
    (the database's ids start again), so what these tests count must be their own."""
    client, name = s3_storage["client"], s3_storage["bucket"]
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=name):
        for item in page.get("Contents", []):
            client.delete_object(Bucket=name, Key=item["Key"])
    return s3_storage


@pytest.fixture(params=["local", "s3"])
def backend(request):
    """Each test once on the local disk (its own media folder) and once on an empty S3 bucket."""
    if request.param == "s3":
        return request.getfixturevalue("bucket")
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


@pytest.fixture
def exchange_upload():
    """``exchange_upload(rank_list, **kwargs)``: the upload of an immunisation record."""

    def make(rank_list, **kwargs) -> DocumentUpload:
        return DocumentUpload(rank_list=rank_list, kind=KIND, **kwargs)

    return make


@pytest.fixture
def send_ticket():
    """``send_ticket(client, ticket, content, name=...)``: what the browser does with a ticket:
    post its fields and the file to its URL (S3 over HTTP, or the portal's local stand-in)."""

    def send(client, ticket, content: bytes, name: str = "file.pdf") -> int:
        if ticket.url.startswith("http"):
            return requests.post(
                ticket.url,
                data=ticket.fields,
                files={"file": (name, content, ticket.content_type)},
                timeout=10,
            ).status_code
        file = SimpleUploadedFile(name, content, ticket.content_type)
        return client.post(ticket.url, {**ticket.fields, "file": file}).status_code

    return send
