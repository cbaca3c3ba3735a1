"""Fixtures of the scholarship tests: a full open call, its applicant and their application;
a committee (chair and reviewers) on a call of its own, and its chair signed in."""

import pytest

from applications.services.applications import application_start
from tests.factories.accounts import UserFactory
from tests.factories.applications import full_call, make_committee


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


@pytest.fixture
def committee(db):
    return make_committee()


@pytest.fixture
def chair(client, committee, signed_in):
    return signed_in(committee.chair, client)
