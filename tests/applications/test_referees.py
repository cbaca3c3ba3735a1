"""Referees answer by an unguessable link, stored only as a hash; applicants never see letters."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from applications.enums import RefereeStatus
from applications.models import RefereeRequest
from applications.services.referees import token_hash

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def invite(student, application, mailoutbox, django_capture_on_commit_callbacks):
    def invite(name="Dr Kwame Mensah", email="kwame@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            student.post(
                f"/applications/{application.pk}/referees/", {"name": name, "email": email}
            )
        link = re.search(r"http://\S+/applications/referee/(\S+)/", mailoutbox[-1].body)
        return link.group(1)

    return invite


def test_invitation_emails_a_link_and_stores_only_its_hash(invite, mailoutbox):
    token = invite()

    referee = RefereeRequest.objects.get()
    assert mailoutbox[-1].to == ["kwame@example.org"]
    assert mailoutbox[-1].subject == (
        "[Global Health Portal] Amina Diallo asks you for a letter of reference"
    )
    assert len(token) >= 40
    assert referee.token_hash == token_hash(token)
    assert token not in str(RefereeRequest.objects.values().get())


def test_referee_page_shows_only_the_applicants_name_and_the_call(client, invite, application):
    token = invite()

    html = client.get(f"/applications/referee/{token}/").content.decode()

    assert "<bdi>Amina Diallo</bdi> has asked you for a letter of reference" in html
    assert application.call.title in html
    assert application.applicant.email not in html
    assert "Motivation" not in html


def test_referee_uploads_one_letter(client, invite, student, application):
    token = invite()

    response = client.post(
        f"/applications/referee/{token}/",
        {"file": SimpleUploadedFile("letter.pdf", PDF)},
        follow=True,
    )
    again = client.get(f"/applications/referee/{token}/")

    referee = RefereeRequest.objects.get()
    assert "Your letter has arrived." in response.content.decode()
    assert referee.status == RefereeStatus.RECEIVED
    assert referee.letter_size == len(PDF)
    assert again.status_code == 410
    assert "already been answered" in again.content.decode()
    status_page = student.get(f"/applications/{application.pk}/referees/").content.decode()
    assert "Letter received" in status_page
    assert referee.letter_key not in status_page


def test_a_letter_that_is_not_a_pdf_is_refused(client, invite):
    token = invite()

    response = client.post(
        f"/applications/referee/{token}/",
        {"file": SimpleUploadedFile("letter.pdf", b"not a pdf at all")},
        follow=True,
    )

    assert response.status_code == 200
    assert "This file is not of an accepted type (PDF)." in response.content.decode()
    assert RefereeRequest.objects.get().status == RefereeStatus.INVITED


def test_referee_declines_and_the_applicant_is_told(
    client, invite, mailoutbox, django_capture_on_commit_callbacks
):
    token = invite()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            f"/applications/referee/{token}/", {"action": "decline", "reason": "Travelling"}
        )

    assert RefereeRequest.objects.get().status == RefereeStatus.DECLINED
    assert (
        mailoutbox[-1].subject == "[Global Health Portal] Dr Kwame Mensah cannot write your letter"
    )


def test_a_tampered_link_is_refused(client, invite):
    token = invite()

    response = client.get(f"/applications/referee/{token[:-1]}x/")

    assert response.status_code == 404
    assert "This link is not valid." in response.content.decode()


def test_an_expired_link_is_refused(client, invite, application):
    token = invite()
    call = application.call
    call.closes_at = timezone.now() - timedelta(days=call.referee_grace_days, seconds=1)
    call.save()

    response = client.get(f"/applications/referee/{token}/")

    assert response.status_code == 410
    assert "The time for letters for this call has ended." in response.content.decode()


def test_the_link_still_works_in_the_grace_period(client, invite, application):
    token = invite()
    application.call.closes_at = timezone.now() - timedelta(days=1)
    application.call.save()

    assert client.get(f"/applications/referee/{token}/").status_code == 200


def test_a_withdrawn_application_needs_no_letter(client, invite, student, application):
    token = invite()
    student.post(f"/applications/{application.pk}/withdraw/")

    response = client.get(f"/applications/referee/{token}/")

    assert response.status_code == 410
    assert "withdrawn this application" in response.content.decode()


def test_reminder_sends_a_new_link_and_retires_the_old_one(
    client, invite, student, application, mailoutbox, django_capture_on_commit_callbacks
):
    old = invite()
    referee = RefereeRequest.objects.get()
    RefereeRequest.objects.filter(pk=referee.pk).update(
        invited_at=timezone.now() - timedelta(days=2)
    )

    with django_capture_on_commit_callbacks(execute=True):
        student.post(f"/applications/{application.pk}/referees/{referee.pk}/remind/")
    new = re.search(r"/applications/referee/(\S+)/", mailoutbox[-1].body).group(1)

    assert mailoutbox[-1].subject.startswith("[Global Health Portal] Reminder:")
    assert client.get(f"/applications/referee/{old}/").status_code == 404
    assert client.get(f"/applications/referee/{new}/").status_code == 200


def test_reminders_are_limited_to_one_a_day(invite, student, application):
    invite()
    referee = RefereeRequest.objects.get()

    response = student.post(
        f"/applications/{application.pk}/referees/{referee.pk}/remind/", follow=True
    )

    assert "You can send a reminder once a day." in response.content.decode()


def test_replacing_a_referee_retires_their_link(client, invite, student, application):
    old = invite()
    referee = RefereeRequest.objects.get()

    student.post(
        f"/applications/{application.pk}/referees/{referee.pk}/replace/",
        {"replace-name": "Prof. Leila Haddad", "replace-email": "leila@example.org"},
    )

    assert list(RefereeRequest.objects.values_list("name", "status")) == [
        ("Dr Kwame Mensah", RefereeStatus.REPLACED),
        ("Prof. Leila Haddad", RefereeStatus.INVITED),
    ]
    assert client.get(f"/applications/referee/{old}/").status_code == 410


def test_inviting_the_same_referee_twice_is_refused(invite, student, application):
    invite()

    response = student.post(
        f"/applications/{application.pk}/referees/",
        {"name": "Kwame", "email": "KWAME@example.org"},
    )

    assert "You have already invited this referee." in response.content.decode()
    assert RefereeRequest.objects.count() == 1


def test_referee_sends_the_letter_straight_to_storage(client, invite, application):
    token = invite()
    page = f"/applications/referee/{token}/"

    ticket = client.post(f"{page}?step=ticket", {"content_type": "application/pdf"}).json()
    stored = client.post(
        ticket["url"], {**ticket["fields"], "file": SimpleUploadedFile("letter.pdf", PDF)}
    )
    done = client.post(ticket["finish"], {"key": ticket["key"], "name": "letter.pdf"}).json()
    thanks = client.get(done["redirect"])

    referee = RefereeRequest.objects.get()
    assert stored.status_code == 201
    assert done == {"redirect": f"{page}?sent=1"}
    assert "Your letter has arrived." in thanks.content.decode()
    assert referee.status == RefereeStatus.RECEIVED
    assert referee.letter_key == ticket["key"].replace("/incoming/", "/")
    assert referee.letter_key.startswith(f"letters/{application.call_id}/{referee.pk}/")
    assert client.get(page).status_code == 410


def test_a_used_link_refuses_a_ticket_in_json(client, invite):
    token = invite()
    client.post(f"/applications/referee/{token}/", {"file": SimpleUploadedFile("l.pdf", PDF)})

    response = client.post(
        f"/applications/referee/{token}/?step=ticket", {"content_type": "application/pdf"}
    )

    assert response.status_code == 410
    assert response.json()["code"] == "answered"
    assert response.json()["error"] == "This request has already been answered. Thank you."


def test_a_letter_ticket_refuses_another_type(client, invite):
    token = invite()

    response = client.post(
        f"/applications/referee/{token}/?step=ticket", {"content_type": "image/png", "size": 10}
    )

    assert response.status_code == 400
    assert response.json() == {
        "error": "This file is not of an accepted type (PDF).",
        "code": "wrong_type",
        "details": [],
    }


def test_the_letter_page_allows_the_bucket_in_its_csp(client, invite, s3_storage):
    token = invite()

    response = client.get(f"/applications/referee/{token}/")

    assert s3_storage["endpoint"] in response["Content-Security-Policy"]
