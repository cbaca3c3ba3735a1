"""Fixtures of the mentoring tests: signed-in clients and a query counter for list pages."""

import pytest

from tests.factories.accounts import StaffFactory


@pytest.fixture
def staff(db):
    return StaffFactory(totp=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
