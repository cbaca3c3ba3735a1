"""Someone else's application, document, letter or PDF is a 404 through every URL."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from applications.models import Document
from applications.services.applications import application_start, application_submit
from applications.services.referees import referee_invite
from tests.factories.accounts import StaffFactory, UserFactory
from tests.factories.applications import CommitteeMembershipFactory, complete
from tests.factories.exchanges import CoordinatorFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def submitted(application):
    application = complete(application)
    application, _ = application_submit(application=application)
    return application


def _urls(application):
    pk = application.pk
    kind = application.call.document_kinds.get()
    document = Document.objects.filter(application=application).first()
    referee = application.referees.first()
    urls = [
        ("get", f"/applications/{pk}/"),
        ("get", f"/applications/{pk}/about/"),
        ("post", f"/applications/{pk}/about/"),
        ("get", f"/applications/{pk}/section/1/"),
        ("post", f"/applications/{pk}/section/1/"),
        ("get", f"/applications/{pk}/documents/"),
        ("post", f"/applications/{pk}/documents/{kind.pk}/upload/"),
        ("post", f"/applications/{pk}/documents/{kind.pk}/ticket/"),
        ("post", f"/applications/{pk}/documents/{kind.pk}/finish/"),
        ("get", f"/applications/{pk}/referees/"),
        ("post", f"/applications/{pk}/referees/"),
        ("get", f"/applications/{pk}/submit/"),
        ("post", f"/applications/{pk}/submit/"),
        ("get", f"/applications/{pk}/application.pdf"),
        ("post", f"/applications/{pk}/withdraw/"),
        ("get", f"/applications/calls/{application.call.pk}/applications/"),
    ]
    if document:
        urls += [
            ("get", f"/applications/{pk}/documents/file/{document.pk}/"),
            ("post", f"/applications/{pk}/documents/file/{document.pk}/remove/"),
        ]
    if referee:
        urls += [
            ("post", f"/applications/{pk}/referees/{referee.pk}/remind/"),
            ("post", f"/applications/{pk}/referees/{referee.pk}/replace/"),
        ]
    return urls


def _outsider(kind: str, application):
    if kind == "another student":
        return UserFactory()
    if kind == "reviewer outside the committee":
        return CommitteeMembershipFactory(user__totp=True).user
    if kind == "chair of another call":
        return CommitteeMembershipFactory(is_chair=True, user__totp=True).user
    if kind == "coordinator":
        return CoordinatorFactory().user
    raise ValueError(kind)


OUTSIDERS = [
    "another student",
    "reviewer outside the committee",
    "chair of another call",
    "coordinator",
]


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_outsiders_get_404_on_every_url(client, submitted, outsider, signed_in):
    signed_in(_outsider(outsider, submitted), client)

    for method, url in _urls(submitted):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)


def test_a_referee_of_another_application_reaches_only_their_own_request(
    client, submitted, call, mailoutbox, django_capture_on_commit_callbacks
):
    other = application_start(call=call, applicant=UserFactory(full_name="Other Student"))
    with django_capture_on_commit_callbacks(execute=True):
        referee_invite(application=other, name="Their Referee", email="theirs@example.org")
    token = re.search(r"/applications/referee/(\S+)/", mailoutbox[-1].body).group(1)

    page = client.get(f"/applications/referee/{token}/").content.decode()

    # A referee has no account: their link shows their own request and nothing else.
    assert "Other Student" in page
    assert "Amina Diallo" not in page
    for method, url in _urls(submitted):
        assert getattr(client, method)(url).status_code == 302  # to the sign-in page


def test_anonymous_visitors_are_sent_to_sign_in(client, submitted):
    for method, url in _urls(submitted):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_the_chair_of_the_call_and_staff_may_read_the_pdf_and_documents(
    client, submitted, signed_in
):
    chair = CommitteeMembershipFactory(call=submitted.call, is_chair=True, user__totp=True).user
    document = Document.objects.get(application=submitted)
    for person in (chair, StaffFactory(totp=True)):
        signed_in(person, client)
        assert client.get(f"/applications/{submitted.pk}/application.pdf").status_code == 200
        url = f"/applications/{submitted.pk}/documents/file/{document.pk}/"
        assert client.get(url).status_code == 302
        # ... but they cannot change the application.
        assert client.post(f"/applications/{submitted.pk}/withdraw/").status_code == 404


def test_a_student_never_gets_a_url_for_a_letter(student, submitted):
    for method, url in _urls(submitted):
        if method == "get":
            html = student.get(url).content
            for referee in submitted.referees.all():
                assert referee.letter_key.encode() not in html


def test_upload_to_another_students_application_changes_nothing(client, submitted, signed_in):
    signed_in(UserFactory(), client)
    kind = submitted.call.document_kinds.get()

    client.post(
        f"/applications/{submitted.pk}/documents/{kind.pk}/upload/",
        {"file": SimpleUploadedFile("x.pdf", PDF)},
    )

    assert Document.objects.filter(application=submitted).count() == 1
