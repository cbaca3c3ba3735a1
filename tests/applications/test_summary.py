"""Before submitting: every answer, document and referee read-only with a link back to each
step, and a declaration to tick, without which nothing is submitted."""

import pytest

from applications.enums import ApplicationState
from applications.models import Application
from tests.factories.accounts import UserFactory
from tests.factories.applications import complete

pytestmark = pytest.mark.django_db


def _page(application):
    return f"/applications/{application.pk}/submit/"


def test_the_summary_shows_every_answer_and_links_back(student, application):
    application = complete(application)

    html = student.get(_page(application)).content.decode()

    pk = application.pk
    for text in ("I want to serve.", "Kenya", "transcript.pdf", "Referee 0", "Letter received"):
        assert text in html
    for link in (
        f"/applications/{pk}/about/",
        f"/applications/{pk}/section/1/",
        f"/applications/{pk}/section/2/",
        f"/applications/{pk}/documents/",
        f"/applications/{pk}/referees/",
    ):
        assert f'href="{link}"' in html
    assert 'name="declaration"' in html
    assert "I declare that the information I have given is true and complete" in html


def test_submit_without_the_declaration_is_refused_on_the_form(student, application):
    application = complete(application)

    response = student.post(_page(application))

    html = response.content.decode()
    assert response.status_code == 400
    assert "Tick the declaration to submit your application." in html
    assert 'aria-invalid="true"' in html
    assert Application.objects.get().state == ApplicationState.DRAFT


def test_submit_with_the_declaration_keeps_when_it_was_given(student, application):
    application = complete(application)

    response = student.post(_page(application), {"declaration": "on"})

    application.refresh_from_db()
    assert response.status_code == 302
    assert application.state == ApplicationState.SUBMITTED
    assert application.declared_at == application.submitted_at


def test_a_second_submit_changes_nothing(student, application):
    application = complete(application)
    student.post(_page(application), {"declaration": "on"})
    first = Application.objects.get()

    response = student.post(_page(application), {"declaration": "on"})

    assert response.status_code == 302
    assert Application.objects.get().declared_at == first.declared_at


def test_an_incomplete_application_says_what_is_missing_with_the_declaration(student, application):
    response = student.post(_page(application), {"declaration": "on"})

    html = response.content.decode()
    assert response.status_code == 400
    assert "Your application is not complete yet. It still needs:" in html
    assert "<li>Transcript</li>" in html


def test_someone_elses_summary_is_not_found(client, application, signed_in):
    other = signed_in(UserFactory(), client)

    assert other.get(_page(application)).status_code == 404
    assert other.post(_page(application), {"declaration": "on"}).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, application):
    assert "/accounts/login/" in client.get(_page(application))["Location"]
