"""An applicant cannot be their own referee, nor invite the same referee twice."""

import pytest

from applications.models import RefereeRequest
from applications.services.referees import referee_invite
from portal.errors import Refused
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


def _invite(client, application, **data):
    return client.post(f"/applications/{application.pk}/referees/", data)


def test_own_referee_is_refused_on_the_email_field_as_typed(student, application, applicant):
    typed = f"  {applicant.email.upper()} "

    response = _invite(student, application, name="Myself", email=typed)

    html = response.content.decode()
    assert response.status_code == 400
    assert "You cannot be your own referee." in html
    assert 'aria-invalid="true"' in html
    assert 'value="Myself"' in html
    assert RefereeRequest.objects.count() == 0


def test_own_referee_is_refused_by_the_service(application, applicant):
    with pytest.raises(Refused, match="You cannot be your own referee") as refusal:
        referee_invite(application=application, name="Me", email=applicant.email.title())

    assert refusal.value.code == "own_referee"
    assert refusal.value.field == "email"


def test_the_same_referee_twice_is_refused_whatever_the_case(student, application):
    _invite(student, application, name="Dr Kwame Mensah", email="kwame@example.org")

    response = _invite(student, application, name="Kwame again", email=" Kwame@Example.ORG ")

    html = response.content.decode()
    assert response.status_code == 400
    assert "You have already invited this referee." in html
    assert 'value="Kwame again"' in html
    assert RefereeRequest.objects.count() == 1


def test_replacing_a_referee_by_oneself_is_refused_under_that_referee(
    student, application, applicant
):
    _invite(student, application, name="Dr Kwame Mensah", email="kwame@example.org")
    referee = RefereeRequest.objects.get()

    response = student.post(
        f"/applications/{application.pk}/referees/{referee.pk}/replace/",
        {"replace-name": "Me", "replace-email": applicant.email},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "You cannot be your own referee." in html
    assert "<details open>" in html
    assert list(RefereeRequest.objects.values_list("status", flat=True)) == ["invited"]


def test_another_person_is_invited(student, application):
    response = _invite(student, application, name="Prof. Leila Haddad", email="leila@example.org")

    assert response.status_code == 302
    assert RefereeRequest.objects.get().email == "leila@example.org"


def test_someone_else_cannot_invite_on_the_application(client, application, signed_in):
    other = signed_in(UserFactory(), client)

    assert _invite(other, application, name="X", email="x@example.org").status_code == 404


def test_anonymous_is_sent_to_sign_in(client, application):
    response = _invite(client, application, name="X", email="x@example.org")

    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
