"""Programme staff configure a call in the one admin."""

import pytest

from tests.factories.accounts import StaffFactory
from tests.factories.applications import full_call

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client, signed_in):
    return signed_in(StaffFactory(totp=True), client)


def test_call_editor_has_every_part_of_a_call(staff):
    html = staff.get("/admin/snippets/applications/call/add/").content.decode()

    for heading in (
        "Eligibility",
        "Application questions",
        "Required documents",
        "Referees",
        "Rubric",
    ):
        assert heading in html


def test_call_editor_shows_allowed_types_as_checkboxes(staff):
    call = full_call()

    html = staff.get(f"/admin/snippets/applications/call/edit/{call.pk}/").content.decode()

    assert 'type="checkbox" name="document_kinds-0-allowed_types" value="application/pdf"' in html
    assert "checked" in html


def test_call_list_links_to_its_applications(staff):
    call = full_call()

    html = staff.get("/admin/snippets/applications/call/").content.decode()

    assert f'href="/applications/calls/{call.pk}/applications/"' in html
