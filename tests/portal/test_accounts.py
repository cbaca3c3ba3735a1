"""Accounts through allauth: sign-up with verification, email login, password reset (the second
factor is in test_mfa.py)."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from tests.factories.accounts import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def test_signup_sends_verification_and_confirming_logs_in(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/accounts/signup/",
            {
                "full_name": "Amina Diallo",
                "email": "New.Student@Example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )

    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = get_user_model().objects.get()
    assert user.email == "new.student@example.org"
    assert user.full_name == "Amina Diallo"
    assert user.preferred_language == "en"
    assert [m.to for m in mailoutbox] == [["new.student@example.org"]]
    confirm_url = _link(mailoutbox[0])

    with django_capture_on_commit_callbacks(execute=True):
        client.get(confirm_url)
        response = client.post(confirm_url)

    assert EmailAddress.objects.get(user=user).verified
    assert response["Location"] == "/dashboard/"
    assert mailoutbox[-1].subject == "[Global Health Portal] Welcome to the Global Health Portal"


def test_signup_in_french_sends_french_mail(client, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/fr/accounts/signup/",
            {
                "full_name": "Awa Ndiaye",
                "email": "etudiante@example.org",
                "password1": PASSWORD,
                "password2": PASSWORD,
            },
        )

    assert get_user_model().objects.get().preferred_language == "fr"
    assert "/fr/accounts/confirm-email/" in mailoutbox[0].body


def test_signup_form_keeps_input_and_marks_errors(client):
    response = client.post(
        "/accounts/signup/",
        {"email": "someone@example.org", "password1": "short", "password2": "other"},
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="someone@example.org"' in html
    assert 'aria-invalid="true"' in html
    assert re.search(r'aria-describedby="[^"]*id_password\d?_error', html)


def test_unverified_user_cannot_log_in(client):
    UserFactory(email="pending@example.org", verified=False)

    response = client.post(
        "/accounts/login/", {"login": "pending@example.org", "password": PASSWORD}
    )

    assert response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_login_by_email_lands_on_the_dashboard(client):
    UserFactory(email="amina@example.org")

    response = client.post("/accounts/login/", {"login": "AMINA@example.org", "password": PASSWORD})

    assert response["Location"] == "/dashboard/"
    assert client.get("/dashboard/")["Location"] == "/applications/"


def test_wrong_password_is_refused_with_the_email_kept(client):
    UserFactory(email="amina@example.org")

    response = client.post("/accounts/login/", {"login": "amina@example.org", "password": "nope"})

    assert response.status_code == 200
    assert 'value="amina@example.org"' in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_a_post(client):
    client.force_login(UserFactory())

    response = client.post("/accounts/logout/")

    assert response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_working_link(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    UserFactory(email="amina@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "amina@example.org"})
    reset_url = _link(mailoutbox[0])
    form_url = client.get(reset_url)["Location"]
    response = client.post(
        form_url, {"password1": "a-new-password-2026", "password2": "a-new-password-2026"}
    )

    assert response.status_code == 302
    assert client.login(email="amina@example.org", password="a-new-password-2026")
