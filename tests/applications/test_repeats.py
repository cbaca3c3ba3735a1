"""Every state-changing POST of the scholarships sent twice (a double click, a retry): one effect,
and the second answer is the first one's, never an error.

Submitting and publishing twice are in test_submit.py and test_decisions.py; a waitlist offer
twice in test_decisions.py.
"""

import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.enums import ApplicationState, DocumentStatus, RefereeStatus
from applications.models import Document, RefereeRequest
from applications.services import decisions as decision_service
from applications.services import publication as publication_service
from portal.models import AuditEntry
from tests.factories.applications import candidate, make_committee

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _stored_ticket(client, ticket_url: str) -> dict:
    ticket = client.post(ticket_url, {"size": len(PDF), "content_type": "application/pdf"}).json()
    stored = client.post(
        ticket["url"], {**ticket["fields"], "file": SimpleUploadedFile("t.pdf", PDF)}
    )
    assert stored.status_code == 201
    return ticket


def test_finishing_a_document_upload_twice_records_one_document(student, application):
    kind = application.call.document_kinds.get()
    ticket = _stored_ticket(student, f"/applications/{application.pk}/documents/{kind.pk}/ticket/")

    first = student.post(ticket["finish"], {"key": ticket["key"], "name": "t.pdf"})
    second = student.post(ticket["finish"], {"key": ticket["key"], "name": "t.pdf"})

    assert first.status_code == second.status_code == 200
    assert (
        first.json() == second.json() == {"redirect": f"/applications/{application.pk}/documents/"}
    )
    assert Document.objects.get().status == DocumentStatus.VERIFIED


def test_finishing_a_referee_letter_twice_records_one_letter(
    client, student, application, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        student.post(
            f"/applications/{application.pk}/referees/",
            {"name": "Dr Kwame Mensah", "email": "kwame@example.org"},
        )
    token = re.search(r"/applications/referee/(\S+)/", mailoutbox[-1].body).group(1)
    page = f"/applications/referee/{token}/"
    ticket = client.post(f"{page}?step=ticket", {"content_type": "application/pdf"}).json()
    client.post(ticket["url"], {**ticket["fields"], "file": SimpleUploadedFile("l.pdf", PDF)})

    first = client.post(ticket["finish"], {"key": ticket["key"], "name": "l.pdf"})
    second = client.post(ticket["finish"], {"key": ticket["key"], "name": "l.pdf"})

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json() == {"redirect": f"{page}?sent=1"}
    assert RefereeRequest.objects.get().status == RefereeStatus.RECEIVED


@pytest.fixture
def awarded(db, django_capture_on_commit_callbacks):
    committee = make_committee(budget=Decimal("1000"))
    application = candidate(committee.call, "Awa Ndiaye")
    decision_service.decision_set(application=application, actor=committee.chair, outcome="award")
    with django_capture_on_commit_callbacks(execute=True):
        publication_service.decisions_publish(call=committee.call, actor=committee.chair)
    application.refresh_from_db()
    return application


@pytest.mark.parametrize(
    ("data", "state", "action", "emails"),
    [
        ({"answer": "accept"}, ApplicationState.ACCEPTED, "award.accepted", 0),
        (
            {"answer": "decline", "confirm": "on"},
            ApplicationState.DECLINED_BY_APPLICANT,
            "award.declined",
            1,  # to the chair
        ),
    ],
)
def test_answering_an_award_twice_answers_once(
    client,
    awarded,
    signed_in,
    mailoutbox,
    django_capture_on_commit_callbacks,
    data,
    state,
    action,
    emails,
):
    signed_in(awarded.applicant, client)
    url = f"/applications/{awarded.pk}/decision/answer/"
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        second = client.post(url, data)

    awarded.refresh_from_db()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == f"/applications/{awarded.pk}/decision/"
    assert awarded.state == state
    assert AuditEntry.objects.filter(action=action).count() == 1
    assert len(mailoutbox) == emails
