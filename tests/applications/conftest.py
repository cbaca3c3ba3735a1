"""Fixtures of the scholarship tests: a full open call, its applicant and their application;
a committee (chair and reviewers) on a call of its own, its chair signed in, and its drafted
decisions."""

import pytest

from applications.services import decisions as decision_service
from applications.services.applications import application_start
from tests.factories.accounts import UserFactory
from tests.factories.applications import candidate, full_call, make_committee


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


@pytest.fixture
def drafted(committee):
    """Awa (French speaker) awarded, Bilal waitlisted, Chen declined, Dina undecided."""
    people = {
        "Awa": candidate(committee.call, "Awa Ndiaye", applicant__preferred_language="fr"),
        "Bilal": candidate(committee.call, "Bilal Haddad"),
        "Chen": candidate(committee.call, "Chen Li"),
        "Dina": candidate(committee.call, "Dina Okafor"),
    }
    for name, outcome in (("Awa", "award"), ("Bilal", "waitlist"), ("Chen", "decline")):
        decision_service.decision_set(
            application=people[name], actor=committee.chair, outcome=outcome
        )
    committee.people = people
    return committee
