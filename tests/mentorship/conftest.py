"""Fixtures of the mentoring tests: programme staff, and a client signed in as them."""

import pytest

from tests.factories.accounts import StaffFactory


@pytest.fixture
def staff(db):
    return StaffFactory(totp=True)


@pytest.fixture
def staff_client(client, staff, signed_in):
    return signed_in(staff, client)
