"""Fixtures of the scholarship tests: a full open call, its applicant and their application."""

import pytest

from applications.services.applications import application_start
from tests.factories.accounts import UserFactory
from tests.factories.applications import full_call


@pytest.fixture
def call(db):
    return full_call()


@pytest.fixture
def applicant(db):
    return UserFactory(full_name="Amina Diallo")


@pytest.fixture
def application(call, applicant):
    return application_start(call=call, applicant=applicant)


@pytest.fixture
def student(client, applicant, signed_in):
    return signed_in(applicant, client)
