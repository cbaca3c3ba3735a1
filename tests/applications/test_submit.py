"""Submission: complete, before the deadline, exactly once; the PDF; withdrawal."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from pypdf import PdfReader

from applications.enums import ApplicationState
from applications.models import Application
from tests.factories.applications import complete

pytestmark = pytest.mark.django_db


def _submit(client, application, **kwargs):
    return client.post(f"/applications/{application.pk}/submit/", {"declaration": "on"}, **kwargs)


def test_incomplete_application_is_refused_with_what_is_missing(student, application):
    response = _submit(student, application)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Your application is not complete yet. It still needs:" in html
    for item in (
        "Country of study",
        "Motivation",
        "Grade",
        "Plans",
        "Transcript",
        "1 letter of reference (0 received)",
    ):
        assert f"<li>{item}</li>" in html
    assert "<li>Optional</li>" not in html
    assert Application.objects.get().state == ApplicationState.DRAFT


def test_complete_application_submits_once_with_one_email(
    student, application, mailoutbox, django_capture_on_commit_callbacks
):
    application = complete(application)

    with django_capture_on_commit_callbacks(execute=True):
        first = _submit(student, application)
        second = _submit(student, application)

    application.refresh_from_db()
    assert first["Location"] == second["Location"] == f"/applications/{application.pk}/submit/"
    assert application.state == ApplicationState.SUBMITTED
    assert application.submitted_at is not None
    assert [m.subject for m in mailoutbox] == [
        f"[Global Health Portal] Application received: {application.call.title}"
    ]


def test_submission_after_the_deadline_is_refused_politely(student, application):
    application = complete(application)
    application.call.closes_at = timezone.now() - timedelta(seconds=1)
    application.call.save()

    response = _submit(student, application)

    html = response.content.decode()
    assert "The deadline has passed, so this application can no longer be submitted." in html
    assert "(Africa/Nairobi)" in html
    assert Application.objects.get().state == ApplicationState.DRAFT


def test_deadline_is_compared_in_utc_whatever_the_zones(student, application, settings):
    application = complete(application)
    # One minute before the deadline, however far the call's zone is from UTC.
    application.call.time_zone = "Pacific/Kiritimati"  # UTC+14
    application.call.closes_at = timezone.now() + timedelta(minutes=1)
    application.call.save()

    _submit(student, application)

    assert Application.objects.get().state == ApplicationState.SUBMITTED


def test_submitted_application_can_no_longer_be_edited(student, application):
    application = complete(application)
    _submit(student, application)

    response = student.post(
        f"/applications/{application.pk}/section/1/", {"version": application.version + 1}
    )

    assert response["Location"] == f"/applications/{application.pk}/submit/"


def test_the_pdf_of_a_submitted_application(student, application):
    application = complete(application)
    _submit(student, application)

    response = student.get(f"/applications/{application.pk}/application.pdf")

    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert response["Content-Type"] == "application/pdf"
    assert "Amina Diallo" in text
    assert "I want to serve." in text
    assert "transcript.pdf" in text
    assert "Submitted" in text


def test_no_pdf_before_submission(student, application):
    assert student.get(f"/applications/{application.pk}/application.pdf").status_code == 404


@pytest.mark.parametrize("state", [ApplicationState.DRAFT, ApplicationState.SUBMITTED])
def test_withdraw_before_a_decision(student, application, state):
    Application.objects.filter(pk=application.pk).update(state=state)

    student.post(f"/applications/{application.pk}/withdraw/")

    assert Application.objects.get().state == ApplicationState.WITHDRAWN


@pytest.mark.parametrize("state", sorted(ApplicationState.decided()))
def test_no_withdrawal_after_a_decision(student, application, state):
    Application.objects.filter(pk=application.pk).update(state=state)

    response = student.post(f"/applications/{application.pk}/withdraw/", follow=True)

    assert Application.objects.get().state == state
    assert "This application can no longer be changed." in response.content.decode()


def test_a_withdrawn_application_cannot_be_submitted(student, application):
    application = complete(application)
    student.post(f"/applications/{application.pk}/withdraw/")

    _submit(student, application)

    assert Application.objects.get().state == ApplicationState.WITHDRAWN
