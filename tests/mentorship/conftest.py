"""Fixtures of the mentoring tests: signed-in clients and a query counter for list pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import StaffFactory


@pytest.fixture
def staff(db):
    return StaffFactory(totp=True)


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def queries_of():
    """``queries_of(client, url)``: how many SQL queries a GET of the page makes (after one
    warm-up request: Wagtail caches sites and locales per process)."""

    def count(client, url: str) -> int:
        assert client.get(url).status_code == 200
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200
        return len(captured)

    return count
