"""One public address for every link that leaves a page, and the site's name from settings."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.test import Client

from portal import links
from portal.checks import public_address_check
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def unset(settings):
    settings.SITE_URL = ""
    links._learned = None
    yield settings
    links._learned = None


def test_the_setting_is_the_address_of_every_link(settings):
    settings.SITE_URL = "https://portal.example.org/"

    assert links.public_url("/fr/dashboard/") == "https://portal.example.org/fr/dashboard/"
    assert links.public_url("https://elsewhere.example/x") == "https://elsewhere.example/x"


def test_in_development_the_address_is_learned_from_the_requests(unset):
    assert links.public_address() == "http://127.0.0.1:8000"  # before any request

    Client(HTTP_HOST="localhost:8123").get("/healthz")

    assert links.public_address() == "http://localhost:8123"  # what a worker reads too


def test_a_set_address_is_never_replaced_by_a_request(settings):
    settings.SITE_URL = "https://portal.example.org"

    Client(HTTP_HOST="localhost:8123").get("/healthz")

    assert links.public_address() == "https://portal.example.org"


@pytest.mark.parametrize(
    ("address", "error"),
    [
        ("", "portal.E001"),
        ("http://portal.example.org", "portal.E002"),
        ("https://portal.example.org/portal", "portal.E002"),
        ("https://portal.example.org", None),
    ],
)
def test_the_deployment_check_requires_an_https_address(settings, address, error):
    settings.SITE_URL = address

    found = [message.id for message in public_address_check(None)]

    assert found == ([error] if error else [])


def test_check_deploy_fails_without_the_address(unset):
    with pytest.raises(SystemCheckError, match="SITE_URL is not set"):
        call_command("check", "--deploy", "--tag", "security", "--fail-level", "ERROR")


def test_account_emails_name_the_site_and_link_to_its_address(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.org"
    settings.SITE_NAME = "Diaspora Health Scholarships"
    UserFactory(email="awa@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post("/accounts/password/reset/", {"email": "awa@example.org"})

    (message,) = mail.outbox
    assert "Diaspora Health Scholarships" in message.body
    assert "https://portal.example.org/accounts/password/reset/key/" in message.body
